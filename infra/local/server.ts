// The local platform behind `npm start`: DynamoDB Local, the table, demo data, and the route table served
// over node:http as API Gateway would, calling the very handler modules Lambda runs. Everything it keeps
// lives in DATA_DIR, so a restart finds it all, and two servers with different DATA_DIRs share nothing.
// SMS go to the outbox, or with NOTIFIER=aliyun through the real Aliyun adapter to the local stand-in of
// Aliyun SMS mounted under /_sandbox/aliyun-sms/, which pushes its delivery reports back to this server.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { CENTRE_CODES, CITY } from '../../shared/domain/centres.ts';
import { isPublic, ROUTES, type Route } from '../../shared/routes.ts';
import { SCHEDULED_JOBS } from '../../shared/schedules.ts';
import { claimsAsApiGatewayPassesThem, lambdaContext, sendApiResponse, sendJson, toApiEvent } from './api-gateway.ts';
import { LOCAL_AWS_ENV, startDynamoDbLocal } from './dynamodb-local.ts';
import { readOutbox } from './outbox.ts';
import { createSmsSandbox, SANDBOX_ACCESS_KEY, SANDBOX_SIGN_NAME, SMS_SANDBOX_PREFIX, type SmsSandbox } from './sms-sandbox.ts';
import { ensureTable } from './table-setup.ts';
import { localTokens } from './tokens.ts';
import { AslWorkflowEngine } from './workflow-engine.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const LOCAL_TABLE_NAME = 'smart-community';
/** API Gateway HTTP APIs refuse bodies above 10 MB before any Lambda runs; so does the local server. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

export type LocalPlatform = { url: string; port: number; stop: () => Promise<void> };

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const tokenRequest = z.strictObject({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  role: z.enum(['resident', 'staff', 'supervisor']),
  categories: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** custom:centre of staff and supervisors: a centre code, or `*` for a city supervisor. */
  centre: z.optional(z.enum([CITY, ...CENTRE_CODES])),
  name: z.optional(z.string().check(z.maxLength(50))),
  phone: z.optional(z.string().check(z.maxLength(20))),
  email: z.optional(z.string().check(z.maxLength(254))),
});

function compileRoutes() {
  return ROUTES.map((route: Route) => {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, names, regex: new RegExp(`^${pattern}$`) };
  });
}

/** One live server per DATA_DIR: DynamoDB Local's files must not be opened twice. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'server.lock');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`${dataDir} is in use by the local server with pid ${pid}; stop it or set DATA_DIR.`);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function persistentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8');
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= GATEWAY_BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => done(size > GATEWAY_BODY_LIMIT ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function problem(res: ServerResponse, status: number, code: string, title: string, detail: string) {
  sendJson(res, status, { type: `https://smart-community.dev/errors/${code}`, title, status, code, detail }, 'application/problem+json');
}

export type LocalPlatformOptions = {
  port: number;
  dataDir: string;
  quiet?: boolean;
  /** Caps every approval wait (LOCAL_MAX_WAIT_MS), to see escalations without waiting for a due date. */
  maxWaitMs?: number;
  /** Where residents' SMS go: the outbox (default), or the Aliyun adapter against the local Aliyun stand-in. */
  notifier?: LocalNotifier;
};

export const LOCAL_NOTIFIERS = ['outbox', 'aliyun'] as const;
export type LocalNotifier = (typeof LOCAL_NOTIFIERS)[number];

/**
 * The Aliyun SMS stand-in of this server and the adapter's configuration pointing at it: the stand-in's test
 * account and signature, and a receipt token kept in DATA_DIR, as a deployment keeps its own in its secret.
 */
function localAliyunSms(dataDir: string, port: number): SmsSandbox {
  const receiptToken = persistentSecret(dataDir, 'sms-receipt-token');
  Object.assign(process.env, {
    ALIYUN_SMS_SECRET: JSON.stringify({ ...SANDBOX_ACCESS_KEY, signName: SANDBOX_SIGN_NAME, receiptToken }),
    ALIYUN_SMS_ENDPOINT: `http://127.0.0.1:${port}${SMS_SANDBOX_PREFIX}`,
  });
  // Reports come seconds after the send, as Aliyun's do: by then a fan-out page has recorded its BizIds.
  return createSmsSandbox({ dir: dataDir, receiptUrl: `http://127.0.0.1:${port}/sms-receipts/${receiptToken}`, receiptDelayMs: 2_000 });
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const dynamo = await startDynamoDbLocal(join(dataDir, 'dynamodb')).catch((error) => {
    unlock();
    throw error;
  });
  const outboxFile = join(dataDir, 'outbox.jsonl');

  // The handlers run in this process and read their configuration at import, like a Lambda cold start.
  Object.assign(process.env, LOCAL_AWS_ENV, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ID_HASH_KEY: persistentSecret(dataDir, 'id-hash-key'),
    NOTIFIER: options.notifier ?? 'outbox',
    // With NOTIFIER=aliyun, staff tasks still go to the outbox: Aliyun texts residents only.
    STAFF_NOTIFIER: 'outbox',
    PAYMENT_PROVIDER: 'simulated',
    OUTBOX_FILE: outboxFile,
    WORKFLOWS: 'local',
  });
  if (options.quiet) process.env.LOG_LEVEL = 'silent';

  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureTable(admin, LOCAL_TABLE_NAME);
  admin.destroy();
  // Imported after the environment is set: the data modules read TABLE_NAME at import, like a cold start.
  const { migrateToCentres } = await import('./migrations.ts');
  await migrateToCentres();
  const { seedDemoData } = await import('./seed.ts');
  await seedDemoData();

  const tokens = await localTokens(dataDir);
  const routes = compileRoutes();
  const handlers = new Map<string, Promise<Handler>>();
  const loadHandler = (entry: string) => {
    if (!handlers.has(entry)) {
      handlers.set(entry, import(pathToFileURL(join(REPO_ROOT, entry)).href).then((m: { handler: Handler }) => m.handler));
    }
    return handlers.get(entry)!;
  };

  const engine = new AslWorkflowEngine({ dir: join(dataDir, 'workflows'), repoRoot: REPO_ROOT, loadHandler, maxWaitMs: options.maxWaitMs });
  useLocalWorkflowEngine(engine);
  let smsSandbox: SmsSandbox | undefined;

  async function serveRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const candidates = routes.filter((r) => r.regex.test(url.pathname));
    const match = candidates.find((r) => r.route.method === method);
    if (!match) {
      if (candidates.length > 0) return problem(res, 405, 'method_not_allowed', 'Method not allowed', `${method} is not served on ${url.pathname}.`);
      return problem(res, 404, 'not_found', 'Not found', `No route ${method} ${url.pathname}.`);
    }
    const values = match.regex.exec(url.pathname)!.slice(1);
    const pathParameters = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));

    // As the JWT authorizer does: protected routes need a valid bearer token before any Lambda runs.
    let claims: Record<string, string> | undefined;
    if (!isPublic(match.route)) {
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const payload = bearer ? await tokens.verify(bearer) : null;
      if (!payload) return problem(res, 401, 'unauthenticated', 'Unauthenticated', 'A valid bearer token is required.');
      claims = claimsAsApiGatewayPassesThem(payload);
    }
    const body = await readBody(req);
    if (body === null) return problem(res, 413, 'payload_too_large', 'Payload too large', 'Request bodies are limited to 10 MB.');
    const event = toApiEvent(req, url, match.route, pathParameters, body, claims);
    const handler = await loadHandler(match.route.entry);
    const functionName = match.route.entry.replace(/^functions\//, '').replace(/\.ts$/, '').replace(/\W/g, '-');
    sendApiResponse(res, await handler(event, lambdaContext(functionName, event.requestContext.requestId)));
  }

  async function serveLocalOnly(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method === 'POST' && url.pathname === '/_local/token') {
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req)) ?? '');
      } catch {
        problem(res, 400, 'validation_failed', 'Validation failed', 'The body is not valid JSON.');
        return true;
      }
      const parsed = tokenRequest.safeParse(input);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        sendJson(res, 400, { type: 'https://smart-community.dev/errors/validation_failed', title: 'Validation failed', status: 400, code: 'validation_failed', errors }, 'application/problem+json');
        return true;
      }
      const { sub, role, categories, centre, name, phone, email } = parsed.data;
      const token = await tokens.issue({
        sub,
        'cognito:groups': [role],
        ...(categories ? { 'custom:categories': categories.join(',') } : {}),
        ...(centre ? { 'custom:centre': centre } : {}),
        ...(name ? { name } : {}),
        ...(phone ? { phone_number: phone } : {}),
        ...(email ? { email } : {}),
      });
      sendJson(res, 200, { token });
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/_local/outbox') {
      sendJson(res, 200, readOutbox(outboxFile, url.searchParams.get('to') ?? undefined));
      return true;
    }
    return smsSandbox !== undefined && smsSandbox.handle(req, res, url);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    (async () => {
      if (await serveLocalOnly(req, res, url)) return;
      await serveRoute(req, res, url);
    })().catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'local server error', error: String(error) }));
      if (!res.headersSent) problem(res, 500, 'internal', 'Internal error', 'The local server failed; see its log.');
      else res.end();
    });
  });
  await new Promise<void>((done) => server.listen(options.port, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  // Set before any handler is imported (the first request, a resumed workflow), as a cold start reads it.
  if (options.notifier === 'aliyun') smsSandbox = localAliyunSms(dataDir, port);
  engine.resumeUnfinished();

  // The scheduled jobs EventBridge runs in AWS, on timers here. A run never overlaps the previous one.
  const timers = SCHEDULED_JOBS.map((job) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      loadHandler(job.entry)
        .then((handler) => handler({ source: 'local.scheduler', 'detail-type': 'Scheduled Event', time: new Date().toISOString() }, lambdaContext(job.name, job.name)))
        .catch((error: unknown) => console.error(JSON.stringify({ level: 'error', message: 'scheduled job failed', job: job.name, error: String(error) })))
        .finally(() => (running = false));
    }, job.localEverySeconds * 1000);
    timer.unref();
    return timer;
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await engine.stop();
      await smsSandbox?.close();
      await dynamo.stop();
      unlock();
    })());

  return { url: `http://localhost:${port}`, port, stop };
}
