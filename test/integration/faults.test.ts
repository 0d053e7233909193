// Faults injected at the DynamoDB adapter: throttling that the SDK's retries absorb, and throttling that
// outlasts them. Either way a case is stored exactly once and a retry of the request completes it.
// (SNS failures: notifications.test.ts; payment-provider failures: bills-payment.test.ts; Step
// Functions unreachable: workflow/reconciler.test.ts.)

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { db, tableName } from '../../shared/data/client.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke } from '../support/invoke.ts';

/** Answers the next `count` DynamoDB attempts with a throttling error, as DynamoDB does under load. */
function throttleNext(count: number) {
  const state = { remaining: count, thrown: 0 };
  db.middlewareStack.add(
    (next) => async (args) => {
      if (state.remaining > 0) {
        state.remaining--;
        state.thrown++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ProvisionedThroughputExceededException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: 'deserialize', name: 'injectThrottling', override: true },
  );
  return state;
}

async function casesOf(residentId: string) {
  const { Items } = await db.send(
    new QueryCommand({ TableName: tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :o', ExpressionAttributeValues: { ':o': `OWNER#${residentId}` } }),
  );
  return Items ?? [];
}

const BODY = { matter: 'unemployment-registration', materials: [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }] };

afterEach(() => {
  db.middlewareStack.remove('injectThrottling');
});

describe('DynamoDB faults', () => {
  it('absorbs throttling with the SDK retries: the case is stored once', async () => {
    useLocalWorkflowEngine(undefined); // the run is started later by the reconciler; not under test here
    const resident = await residentWithProfile('fault-retried', 960);
    const throttle = throttleNext(3);

    const res = await invoke(submitCase, 'POST /cases', { caller: resident, body: BODY, headers: { 'idempotency-key': 'k1' } });

    expect(res.status).toBe(201);
    expect(throttle.thrown).toBe(3);
    expect(await casesOf('fault-retried')).toHaveLength(1);
  });

  it('answers 500 without internals when throttling outlasts the retries, and the retried request stores the case once', async () => {
    useLocalWorkflowEngine(undefined);
    const resident = await residentWithProfile('fault-exhausted', 961);
    throttleNext(1000);

    const failed = await invoke(submitCase, 'POST /cases', { caller: resident, body: BODY, headers: { 'idempotency-key': 'k2' } });
    db.middlewareStack.remove('injectThrottling');
    const retried = await invoke(submitCase, 'POST /cases', { caller: resident, body: BODY, headers: { 'idempotency-key': 'k2' } });
    const again = await invoke(submitCase, 'POST /cases', { caller: resident, body: BODY, headers: { 'idempotency-key': 'k2' } });

    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 'internal', correlationId: expect.any(String) });
    expect(JSON.stringify(failed.body)).not.toMatch(/Throughput|at .*\.ts/);
    expect(retried.status).toBe(201);
    expect(again.body.id).toBe(retried.body.id);
    expect(await casesOf('fault-exhausted')).toHaveLength(1);
  });
});
