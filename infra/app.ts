// The CDK app behind `npm run synth` and `npm run deploy` (`-c stage=dev|prod`). cdk-nag's AwsSolutions
// checks run on every synth: an unacknowledged finding stops it.

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createPlatform } from './stacks/platform.ts';

const app = new App();
createPlatform(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
