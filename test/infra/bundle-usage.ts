// What each Lambda entry really uses, read from its esbuild bundle (AWS SDK, middy, zod and jose left
// external so the bundle is small and fast): the modules that read configuration at cold start, and the
// DynamoDB, SNS and Step Functions commands that survive tree shaking: `new XCommand(` in the code, and
// SNS's Query API calls made over fetch (shared/ports/sns-notifier.ts), named as the SDK's command would be.
// The function-needs test compares infra/function-needs.ts with it.

import { build } from 'esbuild';
import { REPO_ROOT } from './synth.ts';

/** The form of an SNS Query API call, `{ Action: "Publish", Version: "2010-03-31" }` in the unminified bundle. */
const SNS_QUERY_CALL = /Action: "(\w+)", Version: "2010-03-31"/g;

export type BundleUsage = { modules: Set<string>; commands: Set<string> };

export async function bundleUsage(entries: readonly string[]): Promise<Map<string, BundleUsage>> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(entries.map((entry) => [entry.replace(/\.ts$/, ''), entry])),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    external: ['@aws-sdk/*', '@middy/*', 'zod', 'zod/*', 'jose'],
    logLevel: 'error',
  });
  const usage = new Map<string, BundleUsage>();
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    const output = result.metafile.outputs[`out/${file.path.split('/out/')[1]}`];
    if (!output?.entryPoint) continue;
    const code = file.text.replace(/^import[^;]*;$/gm, '');
    usage.set(output.entryPoint, {
      modules: new Set(Object.keys(output.inputs)),
      commands: new Set([
        ...[...code.matchAll(/new (\w+?Command)\d*\(/g)].map((m) => m[1]!),
        ...[...code.matchAll(SNS_QUERY_CALL)].map((m) => `${m[1]!}Command`),
      ]),
    });
  }
  return usage;
}

export const DYNAMODB_WRITES = ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand'];
export const DYNAMODB_READS = ['GetCommand', 'BatchGetCommand', 'QueryCommand', 'TransactGetCommand'];
