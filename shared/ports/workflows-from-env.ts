// The Workflows adapter this process uses: the in-process ASL engine locally (WORKFLOWS=local), Step
// Functions in AWS.

import { SFNClient } from '@aws-sdk/client-sfn';
import { requiredEnv } from '../config.ts';
import { localWorkflows } from './local-workflows.ts';
import { sfnWorkflows } from './sfn-workflows.ts';
import type { Workflows } from './workflows.ts';

export const workflows: Workflows =
  process.env.WORKFLOWS === 'local' ? localWorkflows : sfnWorkflows(new SFNClient({}), () => requiredEnv('CASE_APPROVAL_STATE_MACHINE_ARN'));
