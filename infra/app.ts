// The CDK app behind `npm run synth` and `npm run deploy` (`-c stage=dev|prod`). cdk-nag's AwsSolutions
// checks run on every synth: an unacknowledged finding stops it. The web app is built first when web/dist
// is missing or stale, since the WebContent stack deploys it.

import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createPlatform } from './stacks/platform.ts';
import { ensureWebBuild } from './web-build.ts';

await ensureWebBuild(resolve(import.meta.dirname, '..'));
const app = new App();
createPlatform(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
