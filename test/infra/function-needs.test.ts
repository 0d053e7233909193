// infra/function-needs.ts decides what every function may touch in AWS. These tests keep it complete
// (every route, workflow task and scheduled job has a row) and true: each row is compared with what the
// entry's bundle really does — the configuration modules it imports and the AWS commands left in it
// after tree shaking — so a function can neither miss a right it uses nor hold one it does not.

import { beforeAll, describe, expect, it } from 'vitest';
import { FILE_RIGHTS, FUNCTION_NEEDS, type FileRight, type FunctionNeeds } from '../../infra/function-needs.ts';
import { ROUTES } from '../../shared/routes.ts';
import { SCHEDULED_JOBS } from '../../shared/schedules.ts';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import { bundleUsage, DYNAMODB_READS, DYNAMODB_WRITES, type BundleUsage } from './bundle-usage.ts';

const entries = Object.keys(FUNCTION_NEEDS);
let usage: Map<string, BundleUsage>;

beforeAll(async () => {
  usage = await bundleUsage(entries);
});

/** Each file right is exactly one FileStore operation module (shared/ports/file-store.ts). */
const FILE_OPERATION_MODULES: Record<FileRight, string> = {
  put: 'shared/ports/file-uploads.ts',
  get: 'shared/ports/file-reads.ts',
  keep: 'shared/ports/file-keeping.ts',
  delete: 'shared/ports/file-deletes.ts',
};
const rightsOrNone = (rights: readonly FileRight[]) => (rights.length > 0 ? FILE_RIGHTS.filter((r) => rights.includes(r)) : undefined);

/** The row an entry needs, as far as its bundle shows it (start or resume is the row's to say). */
function observedNeeds(used: BundleUsage) {
  const commands = [...used.commands];
  const writes = commands.some((c) => DYNAMODB_WRITES.includes(c));
  const reads = commands.some((c) => DYNAMODB_READS.includes(c));
  return {
    table: writes ? 'readWrite' : reads ? 'read' : undefined,
    idHashKey: used.modules.has('shared/data/id-numbers.ts') || undefined,
    notify: used.modules.has('shared/ports/notifier-from-env.ts') || undefined,
    workflows: used.modules.has('shared/ports/workflows-from-env.ts') || undefined,
    payments: used.modules.has('shared/ports/payment-provider-from-env.ts') || undefined,
    walletSecrets: walletsIn(used),
    files: rightsOrNone(FILE_RIGHTS.filter((right) => used.modules.has(FILE_OPERATION_MODULES[right]))),
    identityVerifier: used.modules.has('shared/ports/identity-verifier-from-env.ts') || undefined,
    smsReceipts: used.modules.has('shared/ports/sms-receipts-from-env.ts') || undefined,
    webUrl: used.modules.has('functions/bills/lib/return-url.ts') || undefined,
  };
}

/** The wallets whose adapter (and so whose merchant secret) a bundle loads at cold start. */
function walletsIn(used: BundleUsage) {
  const wallets = (['alipay', 'wechatpay'] as const).filter((provider) => used.modules.has(`shared/ports/${provider}-from-env.ts`));
  return wallets.length > 0 ? wallets.join(',') : undefined;
}

function declaredNeeds(needs: FunctionNeeds) {
  return {
    table: needs.table,
    idHashKey: needs.idHashKey,
    notify: needs.notify,
    workflows: needs.startWorkflow || needs.resumeWorkflow || needs.stopWorkflow ? true : undefined,
    payments: needs.payments,
    walletSecrets: needs.walletSecrets ? [...needs.walletSecrets].sort().join(',') : undefined,
    files: rightsOrNone(needs.files ?? []),
    identityVerifier: needs.identityVerifier,
    smsReceipts: needs.smsReceipts,
    webUrl: needs.webUrl,
  };
}

describe('infra/function-needs.ts', () => {
  it('has a row for every route, workflow task and scheduled job entry', () => {
    const required = [
      ...ROUTES.map((r) => r.entry),
      ...STATE_MACHINES.flatMap((m) => Object.values(m.tasks)),
      ...SCHEDULED_JOBS.map((j) => j.entry),
    ];
    expect(required.filter((entry) => !(entry in FUNCTION_NEEDS))).toEqual([]);
  });

  it('matches what every entry bundle uses: table access, ID hash key, notifier, workflows, payments, wallet secrets, file rights, identity verifier, SMS receipts, the web origin', () => {
    const mismatches = entries.flatMap((entry) => {
      const observed = observedNeeds(usage.get(entry)!);
      const declared = declaredNeeds(FUNCTION_NEEDS[entry]!);
      return JSON.stringify(observed) === JSON.stringify(declared) ? [] : [{ entry, declared, observed }];
    });
    expect(mismatches).toEqual([]);
  });

  it('starts, resumes or stops a workflow only from entries whose bundle sends those Step Functions commands', () => {
    for (const [entry, needs] of Object.entries(FUNCTION_NEEDS)) {
      const commands = usage.get(entry)!.commands;
      if (needs.startWorkflow) expect(commands.has('StartExecutionCommand'), entry).toBe(true);
      if (needs.resumeWorkflow) expect(commands.has('SendTaskSuccessCommand'), entry).toBe(true);
      if (needs.stopWorkflow) expect(commands.has('StopExecutionCommand'), entry).toBe(true);
    }
  });

  it('publishes to SNS (sns:Publish, granted with `notify`) from exactly the entries that notify', () => {
    for (const [entry, needs] of Object.entries(FUNCTION_NEEDS)) {
      expect(usage.get(entry)!.commands.has('PublishCommand'), entry).toBe(needs.notify === true);
    }
  });

  it('reads wallet secrets only in entries whose bundle sends GetSecretValue, and no other entry sends it', () => {
    for (const [entry, needs] of Object.entries(FUNCTION_NEEDS)) {
      expect(usage.get(entry)!.commands.has('GetSecretValueCommand'), entry).toBe(needs.walletSecrets !== undefined);
    }
  });

  it('lets every notifying entry write to the table, where each message is recorded, and so the entry taking delivery reports', () => {
    for (const [entry, needs] of Object.entries(FUNCTION_NEEDS)) if (needs.notify || needs.smsReceipts) expect(needs.table, entry).toBe('readWrite');
  });

  it('sees the commands a bundle sends (the analysis is live)', () => {
    expect(usage.get('functions/cases/get-case.ts')!.commands).toEqual(new Set(['GetCommand']));
    expect(usage.get('functions/platform/get-health.ts')!.commands.size).toBe(0);
  });

  it('sees the file operations a bundle holds: only the presigning function can make upload slots', () => {
    expect(observedNeeds(usage.get('functions/uploads/create-upload.ts')!).files).toEqual(['put']);
    expect(observedNeeds(usage.get('functions/workflow/auto-review.ts')!).files).toEqual(['get', 'keep']);
    const withPut = entries.filter((entry) => usage.get(entry)!.modules.has(FILE_OPERATION_MODULES.put));
    expect(withPut).toEqual(['functions/uploads/create-upload.ts']);
    // Attaching uploads is DynamoDB only: submitting a case needs no right on the bucket.
    expect(observedNeeds(usage.get('functions/cases/submit-case.ts')!).files).toBeUndefined();
  });
});
