// Runs the real statemachines/ files in this test process with the local ASL engine, every Lambda task
// calling its real entry file against this file's DynamoDB Local table.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, vi } from 'vitest';
import { AslWorkflowEngine, type EngineOptions } from '../../infra/local/workflow-engine.ts';
import { getCase } from '../../shared/data/cases.ts';
import { getTask } from '../../shared/data/tasks.ts';
import type { Case } from '../../shared/domain/cases.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

export type Handler = (event: unknown, context: unknown) => Promise<any>;
export const loadEntry = (entry: string): Promise<Handler> =>
  import(pathToFileURL(join(REPO_ROOT, entry)).href).then((m: { handler: Handler }) => m.handler);

/** Runs a scheduled job's entry as if the clock read `at` (Date only: timers and the DynamoDB client keep real time). */
export async function runScheduledAt(entry: string, at: Date): Promise<unknown> {
  const handler = await loadEntry(entry);
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return await handler({}, {});
  } finally {
    vi.useRealTimers();
  }
}

/** Starts an engine (a fresh state directory unless `dir` is given) and makes it this process's Workflows. */
export function startEngine(options: Partial<EngineOptions> = {}) {
  const engine = new AslWorkflowEngine({
    dir: options.dir ?? mkdtempSync(join(tmpdir(), 'sc-workflows-')),
    repoRoot: REPO_ROOT,
    loadHandler: options.loadHandler ?? loadEntry,
    retryIntervalMs: 10,
    ...options,
  });
  useLocalWorkflowEngine(engine);
  return engine;
}

/** The case once it satisfies `predicate` (the workflow runs on its own), within 15 s. */
export const caseReaches = (id: string, predicate: (c: Case) => boolean): Promise<Case> =>
  vi.waitFor(
    async () => {
      const c = await getCase(id);
      if (!c || !predicate(c)) throw new Error(`case ${id} is ${c?.status} at ${c?.currentStep?.taskId}`);
      return c;
    },
    { timeout: 15_000, interval: 50 },
  );


/** Waits until the approval step is open (pending in its queue), within 15 s. */
export const stepPending = (taskId: string) =>
  vi.waitFor(async () => expect((await getTask(taskId))?.status).toBe('pending'), { timeout: 15_000, interval: 50 });

/** Waits until the case's current step is `taskId` and that task is pending, ready for a decision. */
export async function atStep(id: string, taskId: string): Promise<Case> {
  const c = await caseReaches(id, (current) => current.currentStep?.taskId === taskId);
  await stepPending(taskId);
  return c;
}
