// The local stand-in for Step Functions: runs the very ASL files in statemachines/ with
// aws-local-stepfunctions, each Lambda task calling the same entry file AWS runs (shared/workflows.ts).
// What the library does not do, this does:
// - `.waitForTaskToken`: the task gets a fresh token in its payload and the state waits until
//   sendTaskSuccess(token) (or its timeout, raised as States.Timeout so the ASL's Catch escalates);
// - durability: every execution's current state and input, and a waiting step's token, are written to
//   DATA_DIR/workflows/, and start-up resumes each unfinished execution from that state;
// - TimeoutSecondsPath: the library reads it from the task's effective input, AWS from the state input,
//   so it is rewritten to the field the Payload passes on;
// - StartExecution by name is idempotent, as in AWS;
// - StopExecution (a withdrawn case): the run is aborted where it stands, its waiting step dropped, and it
//   is recorded as `aborted` (AWS's ABORTED), finished without a failure.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import type { DecisionOutput } from '../../shared/ports/workflows.ts';
import type { LocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';
import { lambdaContext } from './api-gateway.ts';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      return { promise, resolve, reject };
    },
  });
}

type Json = Record<string, any>;
type TaskHandler = (event: unknown, context: unknown) => Promise<unknown>;
type ExecutionRecord = {
  name: string;
  machine: string;
  input: unknown;
  status: 'running' | 'succeeded' | 'failed' | 'aborted';
  state: { name: string; input: unknown };
  waiting?: { state: string; token: string; deadline: number };
  error?: string;
};
type Waiter = { execution: string; resolve: (output: unknown) => void; reject: (error: Error) => void };

const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });

export type EngineOptions = {
  dir: string;
  repoRoot: string;
  loadHandler: (entry: string) => Promise<TaskHandler>;
  /** Emulation knob for tests, like the library's waitTimeOverrides: no waiting step waits longer than this. */
  maxWaitMs?: number;
  /** Emulation knob for tests, like the library's retryIntervalOverrides: the pause before every retry. */
  retryIntervalMs?: number;
  /** Called for every state entered (the benchmarks count state transitions with it). */
  onStateEntered?: (execution: string, state: string) => void;
};

export class AslWorkflowEngine implements LocalWorkflowEngine {
  private readonly definitions = new Map<string, { asl: Json; tasks: Record<string, string> }>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly runs = new Map<string, { abort: () => void; finished: Promise<void> }>();
  private readonly waiters = new Map<string, Waiter>();
  private stopping = false;

  constructor(private readonly options: EngineOptions) {
    mkdirSync(options.dir, { recursive: true });
    for (const machine of STATE_MACHINES) {
      const asl = JSON.parse(readFileSync(join(options.repoRoot, machine.file), 'utf8')) as Json;
      new StateMachine(asl as never, { validationOptions: { checkArn: false } }); // throws on an invalid file
      this.definitions.set(machine.name, { asl: rewriteTimeoutPaths(asl), tasks: machine.tasks });
    }
  }

  /** Resumes every execution that was still running when the server stopped. */
  resumeUnfinished(): number {
    let resumed = 0;
    for (const file of readdirSync(this.options.dir).filter((f) => f.endsWith('.json'))) {
      const record = JSON.parse(readFileSync(join(this.options.dir, file), 'utf8')) as ExecutionRecord;
      this.records.set(record.name, record);
      if (record.status === 'running') {
        this.launch(record);
        resumed++;
      }
    }
    return resumed;
  }

  async start(machine: string, executionName: string, input: unknown): Promise<void> {
    if (this.stopping) throw new Error('The local workflow engine is stopping');
    if (this.records.has(executionName) || existsSync(this.fileOf(executionName))) return;
    const definition = this.definitions.get(machine);
    if (!definition) throw new Error(`Unknown state machine ${machine}`);
    const record: ExecutionRecord = { name: executionName, machine, input, status: 'running', state: { name: definition.asl.StartAt, input } };
    this.records.set(executionName, record);
    this.persist(record);
    this.launch(record);
  }

  async sendTaskSuccess(taskToken: string, output: DecisionOutput): Promise<void> {
    const waiter = this.waiters.get(taskToken);
    if (!waiter) throw namedError('TaskTimedOut', 'Task token is not waiting (timed out, used or unknown)');
    this.waiters.delete(taskToken);
    const record = this.records.get(waiter.execution);
    if (record) {
      delete record.waiting;
      this.persist(record);
    }
    waiter.resolve(output);
  }

  /**
   * StopExecution: aborts a running execution where it stands. No task runs after this, its waiting step's
   * token stops being valid, and the record says `aborted`. A finished execution is left as it is; an unknown
   * one is ExecutionDoesNotExist, as in AWS.
   */
  async stopExecution(executionName: string): Promise<void> {
    const record = this.records.get(executionName);
    if (!record) throw namedError('ExecutionDoesNotExist', `No execution ${executionName}`);
    if (record.status !== 'running') return;
    record.status = 'aborted';
    delete record.waiting;
    this.persist(record);
    const run = this.runs.get(executionName);
    run?.abort();
    // Aborting leaves a waiting step's promise and timer alive: drop them, as shutdown does.
    for (const [token, waiter] of this.waiters) {
      if (waiter.execution !== executionName) continue;
      this.waiters.delete(token);
      waiter.reject(namedError('ExecutionAborted', 'stopped'));
    }
    await run?.finished;
  }

  /** Resolves when the execution has finished (tests); immediately if it is unknown or done. */
  async finished(executionName: string): Promise<ExecutionRecord | undefined> {
    await this.runs.get(executionName)?.finished;
    return this.records.get(executionName);
  }

  /** The task token an execution is waiting on, if any (tests and the README's walk-through only). */
  waitingToken(executionName: string): string | undefined {
    return this.records.get(executionName)?.waiting?.token;
  }

  /**
   * Stops without losing anything: no task runs after this, and pending waits are dropped without being
   * recorded as failures, so the persisted state still says "waiting" and the next start resumes it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const run of this.runs.values()) run.abort();
    for (const waiter of this.waiters.values()) waiter.reject(namedError('LocalEngineStopped', 'stopping'));
    this.waiters.clear();
    await Promise.allSettled([...this.runs.values()].map((r) => r.finished));
  }

  private fileOf(name: string) {
    return join(this.options.dir, `${name}.json`);
  }

  private persist(record: ExecutionRecord) {
    if (this.stopping) return;
    const file = this.fileOf(record.name);
    writeFileSync(`${file}.tmp`, JSON.stringify(record));
    renameSync(`${file}.tmp`, file);
  }

  private launch(record: ExecutionRecord) {
    const { asl, tasks } = this.definitions.get(record.machine)!;
    const resumeWaiting = record.waiting && record.waiting.state === record.state.name ? record.waiting : undefined;
    const stateInput = resumeWaiting ? withRemainingTimeout(asl.States[record.state.name], record.state.input, resumeWaiting.deadline) : record.state.input;
    // Validated whole in the constructor; started mid-way, the states before StartAt look unreachable.
    const machine = new StateMachine({ ...asl, StartAt: record.state.name } as never, { validationOptions: { noValidate: true } });
    const execution = machine.run(stateInput as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskOverrides(record, asl, tasks, resumeWaiting) as never,
        ...(this.options.retryIntervalMs === undefined
          ? {}
          : { retryIntervalOverrides: Object.fromEntries(Object.keys(asl.States).map((name) => [name, this.options.retryIntervalMs!])) }),
      },
      context: { Task: { Token: 'issued-per-task-by-the-local-engine' } },
      noThrowOnAbort: true,
    });

    const followEvents = (async () => {
      for await (const event of execution.eventLogs as AsyncGenerator<Json>) {
        if (event.type === 'StateEntered' && event.index === undefined) {
          this.options.onStateEntered?.(record.name, event.state.name);
          record.state = { name: event.state.name, input: event.state.input };
          if (record.waiting && record.waiting.state !== event.state.name) delete record.waiting;
          this.persist(record);
        }
      }
    })();
    // A stopped execution keeps `aborted`: what the aborted run settles to says nothing about the case.
    const settled = () => this.stopping || record.status === 'aborted';
    const finished = execution.result
      .then(() => {
        if (settled()) return;
        record.status = 'succeeded';
        this.persist(record);
      })
      .catch((error: Error) => {
        if (settled()) return;
        record.status = 'failed';
        record.error = `${error.name}: ${error.message}`;
        this.persist(record);
      })
      .then(() => followEvents.catch(() => undefined))
      .finally(() => this.runs.delete(record.name));
    this.runs.set(record.name, { abort: execution.abort, finished });
  }

  private taskOverrides(record: ExecutionRecord, asl: Json, tasks: Record<string, string>, resumeWaiting: ExecutionRecord['waiting']) {
    const overrides: Record<string, (input: Json) => Promise<unknown>> = {};
    let resumeToken = resumeWaiting?.token;
    for (const [stateName, state] of Object.entries(asl.States as Record<string, Json>)) {
      if (state.Type !== 'Task') continue;
      const substitution = /^\$\{(\w+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
      const entry = substitution ? tasks[substitution] : undefined;
      if (!entry) throw new Error(`State ${stateName} names no task of shared/workflows.ts`);
      const invoke = async (payload: unknown) => {
        if (this.stopping) throw namedError('LocalEngineStopped', 'stopping');
        const handler = await this.options.loadHandler(entry);
        return handler(payload, lambdaContext(substitution!, `${record.name}:${stateName}`));
      };

      if (!String(state.Resource).endsWith('.waitForTaskToken')) {
        overrides[stateName] = async (input) => ({ Payload: (await invoke(input.Payload)) ?? null, StatusCode: 200 });
        continue;
      }
      const tokenField = Object.entries(state.Parameters.Payload as Json).find(([, v]) => v === '$$.Task.Token')?.[0]?.replace(/\.\$$/, '');
      if (!tokenField) throw new Error(`State ${stateName} waits for a task token but does not pass $$.Task.Token in its Payload`);
      overrides[stateName] = (input) =>
        new Promise((resolve, reject) => {
          const reused = resumeToken;
          resumeToken = undefined;
          const token = reused ?? randomBytes(48).toString('base64url');
          const timeoutMs = Number(input.Payload?.step?.timeoutSeconds ?? 0) * 1000;
          const capMs = this.options.maxWaitMs;
          let timer: NodeJS.Timeout | undefined;
          if (capMs !== undefined && (timeoutMs === 0 || capMs < timeoutMs)) {
            timer = setTimeout(() => {
              if (this.waiters.delete(token)) reject(namedError('States.Timeout', 'Task timed out'));
            }, capMs);
          }
          this.waiters.set(token, {
            execution: record.name,
            resolve: (output) => (clearTimeout(timer), resolve(output)),
            reject: (error) => (clearTimeout(timer), reject(error)),
          });
          record.waiting = { state: stateName, token, deadline: Date.now() + timeoutMs };
          this.persist(record);
          // A resumed wait already has its step recorded with this token: nothing to invoke again.
          if (!reused) {
            invoke({ ...input.Payload, [tokenField]: token }).catch((error: Error) => {
              if (this.waiters.delete(token)) {
                clearTimeout(timer);
                reject(error);
              }
            });
          }
        });
    }
    return overrides;
  }
}

/**
 * AWS evaluates TimeoutSecondsPath against the state input; aws-local-stepfunctions against the effective
 * input ({ FunctionName, Payload }). Rewrites `$.a.b.c` to `$.Payload.<key>.c` where the Payload passes
 * `"<key>.$": "$.a.b"`, so the same file means the same in both.
 */
export function rewriteTimeoutPaths(asl: Json): Json {
  const copy = structuredClone(asl);
  for (const [name, state] of Object.entries(copy.States as Record<string, Json>)) {
    if (!state.TimeoutSecondsPath) continue;
    const path = state.TimeoutSecondsPath as string;
    const passed = Object.entries((state.Parameters?.Payload ?? {}) as Json).find(
      ([key, value]) => key.endsWith('.$') && typeof value === 'string' && (path === value || path.startsWith(`${value}.`)),
    );
    if (!passed) throw new Error(`State ${name}: TimeoutSecondsPath ${path} must read a field its Payload passes on`);
    const [key, value] = passed as [string, string];
    state.TimeoutSecondsPath = `$.Payload.${key.slice(0, -2)}${path.slice(value.length)}`;
  }
  return copy;
}

/** After a restart a waiting step waits only for what was left of its timeout. */
function withRemainingTimeout(state: Json, input: unknown, deadline: number): unknown {
  const original = state.Parameters?.Payload ? findOriginalTimeoutPath(state) : undefined;
  if (!original) return input;
  const copy = structuredClone(input) as Json;
  const segments = original.replace(/^\$\./, '').split('.');
  let target: Json = copy;
  for (const segment of segments.slice(0, -1)) target = target?.[segment];
  if (target && typeof target === 'object') target[segments.at(-1)!] = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
  return copy;
}

function findOriginalTimeoutPath(state: Json): string | undefined {
  const rewritten = state.TimeoutSecondsPath as string | undefined;
  if (!rewritten?.startsWith('$.Payload.')) return undefined;
  const [key, ...rest] = rewritten.slice('$.Payload.'.length).split('.');
  const source = state.Parameters.Payload[`${key}.$`] as string;
  return [source, ...rest].join('.');
}
