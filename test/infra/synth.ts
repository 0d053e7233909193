// Builds the CDK app of infra/app.ts for the infra tests: the context of cdk.json, bundling switched off
// (assertions need the templates, not the bundles) and, on request, cdk-nag. Each test file synthesizes
// once in beforeAll and shares the result: a synth takes seconds and a few hundred MB.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createPlatform } from '../../infra/stacks/platform.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export function platformApp(options: { stage?: 'dev' | 'prod'; nag?: boolean; notifier?: 'sns' | 'aliyun' } = {}) {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const app = new App({
    outdir,
    context: { ...cdkJson.context, stage: options.stage ?? 'dev', ...(options.notifier ? { notifier: options.notifier } : {}), 'aws:cdk:bundling-stacks': [] },
  });
  const platform = createPlatform(app);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, platform, outdir };
}
