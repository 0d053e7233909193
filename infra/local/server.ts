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
import { portIsFree } from './free-port.ts';
import { fileServer } from './file-server.ts';
import { createIdentitySandbox, IDENTITY_SANDBOX_KEY, IDENTITY_SANDBOX_PREFIX } from './identity-sandbox.ts';
import { readOutbox } from './outbox.ts';
import { createRecordsSandbox, RECORDS_SANDBOX_KEY, RECORDS_SANDBOX_PREFIX } from './records-sandbox.ts';
import { PaymentSandbox, SandboxError } from './payment-sandbox.ts';
import { StartupError } from './startup-error.ts';
import { createSmsSandbox, SANDBOX_ACCESS_KEY, SANDBOX_SIGN_NAME, SMS_SANDBOX_PREFIX, type SmsSandbox } from './sms-sandbox.ts';
import { ensureTable } from './table-setup.ts';
import { localTokens } from './tokens.ts';
import { ensureWebBuild } from '../web-build.ts';
import { webAppServer } from './web-app.ts';
import { AslWorkflowEngine } from './workflow-engine.ts';
import { LOCAL_FILES_PATH } from '../../shared/ports/local-file-store.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const LOCAL_TABLE_NAME = 'smart-community';
/** What `npm start` offers when PAYMENT_PROVIDER is not set: both wallets against the sandbox, and v1's simulator. */
export const LOCAL_PAYMENT_PROVIDERS = 'wechatpay,alipay,simulated';
/** API Gateway HTTP APIs refuse bodies above 10 MB before any Lambda runs; so does the local server. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

export type LocalPlatform = { url: string; port: number; stop: () => Promise<void> };

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const tokenRequest = z.strictObject({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  role: z.enum(['resident', 'staff', 'supervisor']),
  categories: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(200))),
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
    if (alive) throw new StartupError(`${dataDir} is in use by the local server with pid ${pid}; stop it or start with another DATA_DIR.`);
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

/**
 * The wallet providers' stand-in, mounted at /_sandbox/… of the local server itself when PAYMENT_PROVIDER offers
 * a wallet: the real adapters get its merchant configuration as their secret files (the same JSON a Secrets
 * Manager secret holds in AWS) and its notifications go to this server's own notify routes. Handlers read this
 * configuration at import, which happens on their first request, after this has run.
 */
async function openPaymentSandbox(dataDir: string, ownUrl: string): Promise<PaymentSandbox | undefined> {
  const offered = (process.env.PAYMENT_PROVIDER ?? '').split(',').map((name) => name.trim());
  if (!offered.includes('wechatpay') && !offered.includes('alipay')) return undefined;
  const dir = join(dataDir, 'payment-sandbox');
  const sandbox = await PaymentSandbox.open({ dir, publicUrl: ownUrl });
  const merchants = sandbox.merchantConfig();
  for (const provider of ['wechatpay', 'alipay'] as const) {
    const file = join(dir, `${provider}-merchant.json`);
    writeFileSync(file, JSON.stringify(merchants[provider], null, 2), { mode: 0o600 });
    process.env[`${provider.toUpperCase()}_SECRET_FILE`] = file;
  }
  process.env.PAYMENT_NOTIFY_BASE_URL = ownUrl;
  return sandbox;
}

function validationProblem(res: ServerResponse, errors: { path: string; message: string }[]) {
  const body = { type: 'https://smart-community.dev/errors/validation_failed', title: 'Validation failed', status: 400, code: 'validation_failed', detail: 'The request has invalid fields.', errors };
  sendJson(res, 400, body, 'application/problem+json');
}

/** A path segment decoded, or undefined when its percent-encoding is malformed (%ZZ, a lone %E4). */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
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
  if (options.port !== 0 && !(await portIsFree(options.port))) {
    throw new StartupError(`port ${options.port} is in use; stop what listens there or start with another PORT (PORT=3001 npm start).`);
  }
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const dynamo = await startDynamoDbLocal(join(dataDir, 'dynamodb')).catch((error) => {
    unlock();
    throw error;
  });
  const outboxFile = join(dataDir, 'outbox.jsonl');
  // The S3 bucket's stand-in: files under DATA_DIR/files, URLs signed with a key kept in DATA_DIR.
  const filesKey = persistentSecret(dataDir, 'files-key');
  const files = fileServer({ dir: join(dataDir, 'files'), key: filesKey });

  // The handlers run in this process and read their configuration at import, like a Lambda cold start.
  Object.assign(process.env, LOCAL_AWS_ENV, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ID_HASH_KEY: persistentSecret(dataDir, 'id-hash-key'),
    NOTIFIER: options.notifier ?? 'outbox',
    // With NOTIFIER=aliyun, staff tasks still go to the outbox: Aliyun texts residents only.
    STAFF_NOTIFIER: 'outbox',
    PAYMENT_PROVIDER: process.env.PAYMENT_PROVIDER || LOCAL_PAYMENT_PROVIDERS,
    OUTBOX_FILE: outboxFile,
    WORKFLOWS: 'local',
    FILE_STORE: 'local',
    LOCAL_FILES_KEY: filesKey,
  });
  if (options.quiet) process.env.LOG_LEVEL = 'silent';

  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureTable(admin, LOCAL_TABLE_NAME);
  admin.destroy();
  // Imported after the environment is set: the data modules read TABLE_NAME at import, like a cold start.
  const { migrateCvsToPurgeList, migrateDayClaimsPerWindow, migrateNoticesToEndOrder, migrateToCentres } = await import('./migrations.ts');
  await migrateToCentres();
  await migrateNoticesToEndOrder();
  await migrateDayClaimsPerWindow();
  await migrateCvsToPurgeList();
  const { seedDemoData } = await import('./seed.ts');
  await seedDemoData();

  const tokens = await localTokens(dataDir);
  await ensureWebBuild(REPO_ROOT, options.quiet ? undefined : console.log);
  const serveWebApp = webAppServer(REPO_ROOT);
  const routes = compileRoutes();
  const isApiPath = (pathname: string) => routes.some((r) => r.regex.test(pathname));
  const handlers = new Map<string, Promise<Handler>>();
  const loadHandler = (entry: string) => {
    if (!handlers.has(entry)) {
      handlers.set(entry, import(pathToFileURL(join(REPO_ROOT, entry)).href).then((m: { handler: Handler }) => m.handler));
    }
    return handlers.get(entry)!;
  };

  // The real-name check's provider: its stand-in answers on this server, under /_sandbox/identity/.
  const identitySandbox = createIdentitySandbox();
  // The government record systems (人社/医保/公积金) behind the data exchange: their stand-in, under /_sandbox/records/.
  const recordsSandbox = createRecordsSandbox();

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
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of match.names.entries()) {
      const decoded = decodePathSegment(values[i]!);
      // API Gateway answers a malformed percent-encoding (/cases/%ZZ) with 400 before any Lambda runs.
      if (decoded === undefined) return validationProblem(res, [{ path: `path.${name}`, message: 'malformed percent-encoding' }]);
      pathParameters[name] = decoded;
    }

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
        validationProblem(res, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
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
    const complete = /^\/_local\/payments\/([^/]+)\/complete$/.exec(url.pathname);
    if (req.method === 'POST' && complete) {
      await completeAtSandbox(req, res, decodeURIComponent(complete[1]!));
      return true;
    }
    return smsSandbox !== undefined && smsSandbox.handle(req, res, url);
  }

  /** Plays the resident paying in the wallet app; `{ "notify": false }` loses the provider's notification. */
  async function completeAtSandbox(req: IncomingMessage, res: ServerResponse, paymentId: string): Promise<void> {
    const text = (await readBody(req)) ?? '';
    let notify: unknown = true;
    try {
      notify = text === '' ? true : ((JSON.parse(text) as { notify?: unknown }).notify ?? true);
    } catch {
      return problem(res, 400, 'validation_failed', 'Validation failed', 'The body is not valid JSON.');
    }
    if (typeof notify !== 'boolean') return problem(res, 400, 'validation_failed', 'Validation failed', 'notify must be true or false.');
    if (!sandbox) return problem(res, 404, 'not_found', 'Not found', 'No wallet provider is offered (PAYMENT_PROVIDER), so there is no payment sandbox.');
    try {
      sandbox.complete(paymentId, { notify });
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      const unknown = error.message.startsWith('No sandbox order');
      return problem(res, unknown ? 404 : 409, unknown ? 'not_found' : 'invalid_state', unknown ? 'Not found' : 'Conflict', error.message);
    }
    sendJson(res, 200, { paymentId, paidAtProvider: true, notification: notify ? 'sent' : 'lost' });
  }

  let sandbox: PaymentSandbox | undefined;
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return validationProblem(res, [{ path: 'path', message: 'not a valid request target' }]);
    }
    const started = performance.now();
    // One line per request, as API Gateway's access log has: no query string, body or token (they can hold
    // ID numbers and phones; paths never do).
    if (!options.quiet && process.env.LOG_LEVEL !== 'silent') {
      res.once('finish', () => console.log(`${req.method} ${url.pathname} ${res.statusCode} ${Math.round(performance.now() - started)}ms`));
    }
    (async () => {
      if (await identitySandbox.handle(req, res, url)) return;
      if (await recordsSandbox.handle(req, res, url)) return;
      if (sandbox && (await sandbox.handle(req, res, url))) return;
      if (await files.handle(req, res, url)) return;
      if (await serveLocalOnly(req, res, url)) return;
      // The web app beside the API, on the paths the route table does not use (infra/local/web-app.ts).
      if (!isApiPath(url.pathname) && !url.pathname.startsWith('/_local/') && serveWebApp(req, res, url)) return;
      await serveRoute(req, res, url);
    })().catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'local server error', error: String(error) }));
      if (!res.headersSent) problem(res, 500, 'internal', 'Internal error', 'The local server failed; see its log.');
      else res.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', done);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await engine.stop();
    await dynamo.stop();
    unlock();
    if (error.code === 'EADDRINUSE') throw new StartupError(`port ${options.port} is in use; stop what listens there or start with another PORT (PORT=3001 npm start).`);
    throw error;
  });
  const port = (server.address() as { port: number }).port;
  // Known only now that the server listens: the providers notify, the file store signs URLs and the
  // identity check is asked at this address. No handler module is loaded before the first request, so each
  // reads these at its cold start like every configuration.
  const ownUrl = `http://127.0.0.1:${port}`;
  sandbox = await openPaymentSandbox(dataDir, ownUrl);
  process.env.LOCAL_FILES_URL = `http://localhost:${port}${LOCAL_FILES_PATH.replace(/\/$/, '')}`;
  // The web app's origin as the browser has it (the session lives in that origin's storage): where a wallet
  // sends the resident back after paying in the phone's browser.
  process.env.WEB_URL = `http://localhost:${port}`;
  Object.assign(process.env, {
    IDENTITY_VERIFIER_ENDPOINT: `${ownUrl}${IDENTITY_SANDBOX_PREFIX}`,
    IDENTITY_VERIFIER_KEY: JSON.stringify(IDENTITY_SANDBOX_KEY),
    RECORDS_PROVIDER_ENDPOINT: `${ownUrl}${RECORDS_SANDBOX_PREFIX}`,
    RECORDS_PROVIDER_KEY: JSON.stringify(RECORDS_SANDBOX_KEY),
  });
  if (options.notifier === 'aliyun') smsSandbox = localAliyunSms(dataDir, port);
  // Only now, with every provider's address set: a resumed workflow imports its handlers as a cold start would.
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
      await identitySandbox.close();
      await recordsSandbox.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await engine.stop();
      await sandbox?.stop();
      await smsSandbox?.close();
      await dynamo.stop();
      unlock();
    })());

  return { url: `http://localhost:${port}`, port, stop };
}
