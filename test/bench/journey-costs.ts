// Measured per-request and per-case counts for the cost model: DynamoDB capacity units (as DynamoDB
// reports them with ReturnConsumedCapacity), Lambda invocations, Step Functions state transitions and
// messages, over real journeys on DynamoDB Local with the real handlers and the local ASL engine.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { db } from '../../shared/data/client.ts';
import { getCase } from '../../shared/data/cases.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { workingDaysAfter, shanghaiDate } from '../../shared/domain/calendar.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';
import { invoke } from '../support/invoke.ts';

const ROOT = resolve(import.meta.dirname, '../..');
type Handler = (...args: any[]) => Promise<any>;
const load = (entry: string): Promise<Handler> => import(pathToFileURL(join(ROOT, entry)).href).then((m) => m.handler);

const meter = { read: 0, write: 0, calls: 0 };
const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;
// DynamoDB Local reports a command's total CapacityUnits; the command says whether they are read or write units.
db.middlewareStack.add(
  (next, context) => async (args) => {
    meter.calls++;
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    if (WRITES.test(context.commandName ?? '')) meter.write += units;
    else meter.read += units;
    return result;
  },
  { step: 'initialize', name: 'meterCapacity' },
);

async function measured<T>(action: () => Promise<T>) {
  const before = { ...meter };
  const value = await action();
  return { value, rcu: meter.read - before.read, wcu: meter.write - before.write, calls: meter.calls - before.calls };
}

export async function journeyCosts() {
  const transitions = new Map<string, number>();
  let lambdaTasks = 0;
  const engine = new AslWorkflowEngine({
    dir: mkdtempSync(join(tmpdir(), 'bench-wf-')),
    repoRoot: ROOT,
    loadHandler: async (entry) => {
      const handler = await load(entry);
      return async (event: unknown, context: unknown) => {
        lambdaTasks++;
        return handler(event, context);
      };
    },
    onStateEntered: (execution) => transitions.set(execution, (transitions.get(execution) ?? 0) + 1),
  });
  useLocalWorkflowEngine(engine);
  const resident = { sub: 'cost-resident', role: 'resident' as const };
  const staff = { sub: 'cost-staff', role: 'staff' as const, categories: ['social-insurance', 'medical-insurance'] };
  await saveResident({ userId: resident.sub, name: '成本', idNumber: '110105195001010020', birthDate: '1950-01-01', sex: 'female', phone: '+8613800138777', community: 'sunshine-garden', updatedAt: new Date().toISOString(), verification: { method: 'real-name', at: new Date().toISOString() } });

  const perRequest: Record<string, { rcu: number; wcu: number; calls: number }> = {};
  const submit = await load('functions/cases/submit-case.ts');
  const materials = [{ type: 'id-card', ref: 'a' }, { type: 'labor-contract', ref: 'b' }, { type: 'wage-statement', ref: 'c' }];
  const submitted = await measured(() => invoke(submit, 'POST /cases', { caller: resident, body: { matter: 'social-insurance-backpay', materials }, headers: { 'idempotency-key': 'cost-1' } }));
  // A back-payment needs a verified profile; a refusal here would leave the loop below waiting for ever.
  if (submitted.value.status !== 201) throw new Error(`POST /cases answered ${submitted.value.status}: ${JSON.stringify(submitted.value.body)}`);
  const caseId = submitted.value.body.id as string;
  perRequest['POST /cases'] = submitted;
  const workflowBefore = { ...meter };
  for (;;) {
    if ((await getCase(caseId))?.currentStep) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
  perRequest['GET /cases/{id}'] = await measured(async () => invoke(await load('functions/cases/get-case.ts'), 'GET /cases/{id}', { caller: resident, params: { id: caseId } }));
  perRequest['GET /cases'] = await measured(async () => invoke(await load('functions/cases/list-cases.ts'), 'GET /cases', { caller: resident }));
  perRequest['GET /tasks'] = await measured(async () => invoke(await load('functions/tasks/list-tasks.ts'), 'GET /tasks', { caller: staff }));
  const decisionBefore = { ...meter };
  perRequest['POST /tasks/{id}/decision'] = await measured(async () =>
    invoke(await load('functions/tasks/decide-task.ts'), 'POST /tasks/{id}/decision', { caller: staff, params: { id: `${caseId}-R1S1` }, body: { decision: 'approve' } }),
  );
  await engine.finished(`${caseId}-1`);
  const workflowCapacity = {
    rcu: meter.read - workflowBefore.read - (perRequest['GET /cases/{id}']!.rcu + perRequest['GET /cases']!.rcu + perRequest['GET /tasks']!.rcu + perRequest['POST /tasks/{id}/decision']!.rcu),
    wcu: meter.write - workflowBefore.write - (perRequest['POST /tasks/{id}/decision']!.wcu),
  };
  void decisionBefore;

  const day = workingDaysAfter(shanghaiDate(new Date()), 2);
  perRequest['POST /appointments'] = await measured(async () =>
    invoke(await load('functions/appointments/book-appointment.ts'), 'POST /appointments', { caller: resident, body: { category: 'medical-insurance', date: day, time: '09:30' } }),
  );
  await invoke(await load('functions/bills/import-bills.ts'), 'POST /bills/import', { caller: { sub: 'cost-staff', role: 'staff' }, body: { bills: [{ residentId: resident.sub, kind: 'water', period: '2026-10', amount: 3650, dueDate: day }] } });
  const bills = await invoke(await load('functions/bills/list-bills.ts'), 'GET /bills', { caller: resident });
  perRequest['POST /bills/{id}/pay'] = await measured(async () =>
    invoke(await load('functions/bills/pay-bill.ts'), 'POST /bills/{id}/pay', { caller: resident, params: { id: bills.body.items[0].id }, body: { amount: 3650, method: 'wechat' }, headers: { 'idempotency-key': 'cost-pay' } }),
  );

  // The counter: a walk-in's ticket, its call and its end, and one poll of the hall display.
  const clerk = { sub: 'cost-clerk', role: 'staff' as const };
  const ticket = await measured(async () => invoke(await load('functions/tickets/issue-ticket.ts'), 'POST /tickets', { caller: clerk, body: { category: 'housing-civil' } }));
  perRequest['POST /tickets'] = ticket;
  perRequest['POST /windows/{category}/call-next'] = await measured(async () =>
    invoke(await load('functions/tickets/call-next.ts'), 'POST /windows/{category}/call-next', { caller: clerk, params: { category: 'housing-civil' }, body: { window: '1' } }),
  );
  perRequest['POST /tickets/{id}/done'] = await measured(async () =>
    invoke(await load('functions/tickets/finish-ticket.ts'), 'POST /tickets/{id}/done', { caller: clerk, params: { id: ticket.value.body.id } }),
  );
  perRequest['GET /display'] = await measured(async () => invoke(await load('functions/tickets/get-display.ts'), 'GET /display', { query: { centre: 'zizhuyuan' } }));
  await engine.stop();

  const messages = readOutbox(process.env.OUTBOX_FILE!);
  return {
    perRequest,
    perCase: {
      stateTransitions: transitions.get(`${caseId}-1`) ?? 0,
      lambdaTaskInvocations: lambdaTasks,
      workflowRcu: workflowCapacity.rcu,
      workflowWcu: workflowCapacity.wcu,
      residentSms: messages.filter((m) => m.channel === 'sms' && m.reference === caseId).length,
      smsSegments: messages.filter((m) => m.channel === 'sms' && m.reference === caseId).reduce((n, m) => n + (m.segments ?? 1), 0),
      staffMessages: messages.filter((m) => m.channel === 'email' && m.reference.startsWith(caseId)).length,
    },
  };
}
