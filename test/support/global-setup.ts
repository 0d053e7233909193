// One DynamoDB Local (in memory) for the whole test run; each test file gets its own table in it. The web
// app is built here once, when stale, so no server a test starts spends its time limit building it.

import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { ensureWebBuild } from '../../infra/web-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamo] = await Promise.all([startDynamoDbLocal(), ensureWebBuild(resolve(import.meta.dirname, '../..'))]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
