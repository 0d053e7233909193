// `npm run bench`: measures the platform and prints a table; the same figures go to .bench/results.json.
// Benchmarks report, they never gate CI. Each pair is measured side by side in one run.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
// @ts-expect-error autocannon ships no types; the bench reads requests.average, latency.p50/p99, non2xx.
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '../../infra/bundling.ts';
import { entryName, lambdaEntries } from '../../infra/lambda-entries.ts';
import { LOCAL_AWS_ENV, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { startLocalPlatform } from '../../infra/local/server.ts';
import { ensureTable } from '../../infra/local/table-setup.ts';
import { centreScale } from './centre-scale.ts';
import { displayMonthlyUsd } from './display-cost.ts';
import { measureWebApp } from './web-perf.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, '.bench');
const BUNDLES = join(OUT, 'bundles');
const results: Record<string, unknown> = {};
const rows: [string, string, string][] = [];
const report = (key: string, value: number, note = '') => {
  results[key] = Math.round(value * 100) / 100;
  rows.push([key, String(results[key]), note]);
};

const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;
const median = (values: number[]) => p(values, 0.5);

async function bundleSizes() {
  mkdirSync(BUNDLES, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const entry of lambdaEntries()) {
    const outfile = join(BUNDLES, `${entryName(entry)}.mjs`);
    const { metafile } = await build({ ...LAMBDA_BUNDLE, entryPoints: [join(ROOT, entry)], outfile, metafile: true, logLevel: 'error' });
    sizes[entryName(entry)] = Math.round((metafile!.outputs[`.bench/bundles/${entryName(entry)}.mjs`]?.bytes ?? 0) / 102.4) / 10;
  }
  results.bundleKB = sizes;
  const [largest, kb] = Object.entries(sizes).sort((a, b) => b[1] - a[1])[0]!;
  report('maxBundleKB', kb, `${largest}; goal ≤ 300, ${Object.keys(sizes).length} functions`);
}

/** The control for cold start and overhead: only the same GetItem, through the same bundled SDK. */
async function bareBundle() {
  const source = join(OUT, 'bare-get-item.ts');
  writeFileSync(
    source,
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'CASE#' + event.pathParameters.id, sk: 'CASE' } }));
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? {}) };
};
`,
  );
  await build({ ...LAMBDA_BUNDLE, entryPoints: [source], outfile: join(BUNDLES, 'bare-get-item.mjs'), logLevel: 'error', nodePaths: [join(ROOT, 'node_modules')] });
}

function caseEvent(id: string, residentId: string) {
  return {
    version: '2.0',
    routeKey: 'GET /cases/{id}',
    rawPath: `/cases/${id}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { id },
    requestContext: { requestId: 'bench', http: { method: 'GET', path: `/cases/${id}` }, authorizer: { jwt: { claims: { sub: residentId, 'cognito:groups': '[resident]' }, scopes: [] } } },
    isBase64Encoded: false,
  };
}

async function seedCases(endpoint: string, table: string, residentId: string, own: number, others: number, offset = 0) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
  const item = (i: number, owner: string) => {
    const id = `C20261129-${String(i).padStart(6, '0')}`;
    const at = new Date(Date.UTC(2026, 10, 29) + i * 1000).toISOString();
    return {
      pk: `CASE#${id}`, sk: 'CASE', id, residentId: owner, matter: 'social-insurance-backpay', category: 'social-insurance', status: 'in_review', round: 1,
      submittedAt: at, dueDate: '2026-12-02', currentStep: null, plan: null, materials: [{ type: 'id-card', ref: 'x' }], missingMaterials: [],
      history: [{ at, status: 'submitted', actor: owner }], gsi1pk: `OWNER#${owner}`, gsi1sk: `CASE#${at}#${id}`,
    };
  };
  const items = [
    ...Array.from({ length: own }, (_, i) => item(offset + i, residentId)),
    ...Array.from({ length: others }, (_, i) => item(offset + own + i, `other-${(offset + i) % 5000}`)),
  ];
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(batches.slice(i, i + 16).map((batch) => db.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
  db.destroy();
  return items[0]!.id;
}

/** test/bench/fan-out.ts in a process of its own (its modules bind to their own table), on this DynamoDB Local. */
function noticeFanOut(residents: number, smsPerSecond: number) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/fan-out.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      TABLE_NAME: `bench-fan-out-${smsPerSecond}`,
      FAN_OUT_RESIDENTS: String(residents),
      SMS_RATE_PER_SECOND: String(smsPerSecond),
      OUTBOX_FILE: join(mkdtempSync(join(tmpdir(), 'bench-fan-out-')), 'outbox.jsonl'),
    },
  });
  if (run.status !== 0) throw new Error(`fan-out bench failed:\n${run.stderr}`);
  const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { residents: number; seconds: number; perSecond: number; sms: number; distinctPhones: number; jobSent: number };
  return { ...outcome, eachOnce: outcome.sms === residents && outcome.distinctPhones === residents && outcome.jobSent === residents };
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  mkdirSync(OUT, { recursive: true });
  console.log('bundling every function …');
  await bundleSizes();
  await bareBundle();

  console.log('starting DynamoDB Local …');
  const dynamo = await startDynamoDbLocal();
  const table = 'bench';
  Object.assign(process.env, LOCAL_AWS_ENV, {
    TABLE_NAME: table, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ID_HASH_KEY: 'bench', NOTIFIER: 'outbox',
    OUTBOX_FILE: join(mkdtempSync(join(tmpdir(), 'bench-')), 'outbox.jsonl'), WORKFLOWS: 'local', LOG_LEVEL: 'silent',
    // The cost table measures v1's synchronous payment; wallet orders are measured in the README's "Real money".
    PAYMENT_PROVIDER: 'simulated',
  });
  await ensureTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), table);
  const resident = 'bench-resident';
  const caseId = await seedCases(dynamo.endpoint, table, resident, 20, 1000);
  const event = caseEvent(caseId, resident);

  try {
    console.log('cold starts …');
    const cold = (bundle: string) =>
      Array.from({ length: 10 }, () => {
        // Lambda's own runtime boots before the init phase; what a bundle costs is import → first answer.
        const script = `const t0=performance.now();const m=await import(${JSON.stringify(pathToFileURL(join(BUNDLES, bundle)).href)});const t1=performance.now();const r=await m.handler(${JSON.stringify(event)},{awsRequestId:'cold'});if(r.statusCode!==200)throw new Error(r.statusCode+' '+r.body);const t2=performance.now();console.log(JSON.stringify({init:t2-t0,importMs:t1-t0,firstRequestMs:t2-t1,sinceProcessStart:t2}));`;
        const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: process.env, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(run.stderr);
        return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { init: number; importMs: number; firstRequestMs: number; sinceProcessStart: number };
      });
    const coldApi = cold('cases-get-case.mjs');
    const coldBare = cold('bare-get-item.mjs');
    const pick = (runs: typeof coldApi, field: keyof (typeof coldApi)[number]) => median(runs.map((r) => r[field]));
    report('coldInitMs_p50', pick(coldApi, 'init'), 'GET /cases/{id}: import bundle → first answer; goal ≤ 150');
    report('coldImportMs_p50', pick(coldApi, 'importMs'), 'of which: import');
    report('coldFirstRequestMs_p50', pick(coldApi, 'firstRequestMs'), 'of which: first request (connection, SDK set-up)');
    report('coldProcessMs_p50', pick(coldApi, 'sinceProcessStart'), 'new Node process → first answer');
    report('coldInitBareMs_p50', pick(coldBare, 'init'), 'bare GetItem bundle, same measure');
    report('coldInitRatio', pick(coldApi, 'init') / pick(coldBare, 'init'), 'API bundle ÷ bare bundle');

    console.log('warm handler overhead …');
    const api = (await import(pathToFileURL(join(BUNDLES, 'cases-get-case.mjs')).href)).handler;
    const bare = (await import(pathToFileURL(join(BUNDLES, 'bare-get-item.mjs')).href)).handler;
    const warm = { api: [] as number[], bare: [] as number[] };
    for (let i = 0; i < 50; i++) await Promise.all([api(event, { awsRequestId: 'w' }), bare(event)]);
    for (let i = 0; i < 400; i++) {
      for (const [name, fn] of i % 2 ? ([['api', api], ['bare', bare]] as const) : ([['bare', bare], ['api', api]] as const)) {
        const t = performance.now();
        const res = await fn(event, { awsRequestId: 'w' });
        warm[name].push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`${name} answered ${res.statusCode}`);
      }
    }
    report('handlerMs_p50', median(warm.api), 'middy + zod + errors + GetItem');
    report('bareHandlerMs_p50', median(warm.bare), 'GetItem only');
    report('handlerOverheadRatio', median(warm.api) / median(warm.bare), 'goal ≤ 1.3');

    console.log('list scale: a table with 1,000 and one with 100,000 other items, side by side …');
    // Two module instances of the same bundle (a copy under another name), each bound at import to its
    // own table, so the two sizes are measured interleaved under the same machine load.
    const largeTable = 'bench-large';
    await ensureTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), largeTable);
    await seedCases(dynamo.endpoint, largeTable, resident, 20, 100_000);
    copyFileSync(join(BUNDLES, 'cases-list-cases.mjs'), join(BUNDLES, 'cases-list-cases-large.mjs'));
    const listSmall = (await import(pathToFileURL(join(BUNDLES, 'cases-list-cases.mjs')).href)).handler;
    process.env.TABLE_NAME = largeTable;
    const listLarge = (await import(pathToFileURL(join(BUNDLES, 'cases-list-cases-large.mjs')).href)).handler;
    process.env.TABLE_NAME = table;
    const listEvent = { ...event, routeKey: 'GET /cases', rawPath: '/cases', pathParameters: undefined, queryStringParameters: { limit: '20' } };
    const times = { small: [] as number[], large: [] as number[] };
    for (let i = 0; i < 400; i++) {
      for (const [size, fn] of i % 2 ? ([['small', listSmall], ['large', listLarge]] as const) : ([['large', listLarge], ['small', listSmall]] as const)) {
        const t = performance.now();
        const res = await fn(listEvent, { awsRequestId: 'l' });
        times[size].push(performance.now() - t);
        if (JSON.parse(res.body).items.length !== 20) throw new Error('list answered the wrong page');
      }
    }
    report('listP50Ms_1k', median(times.small));
    report('listP50Ms_100k', median(times.large));
    report('listScaleRatio', median(times.large) / median(times.small), 'goal ≤ 1.5 (a Query, not a Scan)');

    console.log('centre scale: GET /tasks with 1 centre and with 200 centres of pending work, side by side …');
    const centres = await centreScale(dynamo.endpoint, BUNDLES, table);
    report('tasksP50Ms_1centre', median(centres.times.one));
    report('tasksP50Ms_200centres', median(centres.times.many));
    report('centreScaleRatio', median(centres.times.many) / median(centres.times.one), 'goal ≤ 1.2 (one partition per centre, role and category)');
    report('tasksPageRcu_1centre', centres.rcu.one, 'read units of a 10-task page');
    report('tasksPageRcu_200centres', centres.rcu.many, 'the same page with 200 centres in the table: goal equal');

    console.log('notice fan-out: 10,000 residents, then 2,000 at a rate limit of 200 SMS/s …');
    const full = noticeFanOut(10_000, 500);
    report('fanOutPerSecond', full.perSecond, `10,000 residents in ${full.seconds.toFixed(1)} s, SMS_RATE_PER_SECOND=500; each once: ${full.eachOnce}; goal ≥ 300`);
    const limited = noticeFanOut(2_000, 200);
    report('fanOutPerSecond_limit200', limited.perSecond, `SMS_RATE_PER_SECOND=200: the fan-out keeps the provider's limit; each once: ${limited.eachOnce}`);
    results.fanOut = { full, limited };
  } finally {
    await dynamo.stop();
  }

  console.log('local server under load …');
  const platform = await startLocalPlatform({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'bench-platform-')), quiet: true });
  try {
    const post = async (path: string, body: unknown, token?: string, method = 'POST') =>
      fetch(`${platform.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const { token } = await post('/_local/token', { sub: 'bench-http', role: 'resident' });
    await post('/me', { name: '压测', idNumber: '320106199011110029', phone: '13800138999', community: 'sunshine-garden' }, token, 'PUT');
    const materials = [{ type: 'id-card', ref: 'a' }, { type: 'labor-contract', ref: 'b' }, { type: 'wage-statement', ref: 'c' }];

    const submitTimes: number[] = [];
    let lastCase = '';
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const created = await post('/cases', { matter: 'social-insurance-backpay', materials }, token);
      lastCase = created.id;
      for (;;) {
        const c = await fetch(`${platform.url}/cases/${created.id}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<any>);
        if (c.status === 'in_review') break;
        await new Promise((r) => setTimeout(r, 2));
      }
      submitTimes.push(performance.now() - t);
    }
    report('submitToInReviewMs_p50', median(submitTimes), 'POST /cases → in_review, local engine');

    const load = await autocannon({ url: `${platform.url}/cases/${lastCase}`, headers: { authorization: `Bearer ${token}` }, connections: 10, duration: 10 });
    report('apiRequestsPerSec', load.requests.average, `autocannon 10 connections 10 s, ${load.non2xx} non-2xx`);
    report('apiLatencyMs_p50', load.latency.p50);
    report('apiLatencyMs_p99', load.latency.p99);

    console.log('web app: first page JavaScript and first contentful paint …');
    const web = await measureWebApp(platform.url);
    report('webJsKBgz', web.jsBytesGzip / 1024, `first page (${web.scripts.join(', ')}); goal ≤ 60`);
    report('webFcpMs_p50', median(web.fcpMs), 'Chromium 390×844, 4× CPU throttling, cache off, 10 runs; goal ≤ 1,500');
    console.log('the hall display under load …');
    // A hall in mid-morning: tickets waiting at two windows and one called, so the display item is a real one.
    const { token: clerk } = await post('/_local/token', { sub: 'bench-clerk', role: 'staff', centre: 'zizhuyuan' });
    for (const category of ['social-insurance', 'employment']) for (let i = 0; i < 6; i++) await post('/tickets', { category }, clerk);
    await post('/windows/social-insurance/call-next', { window: '1' }, clerk);
    const displayAnswerBytes = (await (await fetch(`${platform.url}/display?centre=zizhuyuan`)).arrayBuffer()).byteLength;
    const display = await autocannon({ url: `${platform.url}/display?centre=zizhuyuan`, connections: 20, duration: 10 });
    report('displayRps', display.requests.average, `GET /display, autocannon 20 connections 10 s, ${display.non2xx} non-2xx`);
    report('displayLatencyMs_p99', display.latency.p99);

    console.log('per-request and per-case counts for the cost model …');
    // Imported only now: the handlers it drives must bind to this platform's DynamoDB and outbox.
    const { journeyCosts } = await import('./journey-costs.ts');
    const costs = await journeyCosts();
    results.costCounts = costs;
    for (const [route, c] of Object.entries(costs.perRequest)) rows.push([`  ${route}`, `${c.rcu} RCU`, `${c.wcu} WCU, ${c.calls} DynamoDB calls`]);
    report('displayReadUnitsPerPoll', costs.perRequest['GET /display']!.rcu, 'read units of one poll at the table; goal ≤ 1');
    const hall = displayMonthlyUsd({ readUnits: costs.perRequest['GET /display']!.rcu, answerBytes: displayAnswerBytes });
    report('displayMonthlyUsd', hall.total, `100 centres × 2 screens every 3 s via the function URL, ${displayAnswerBytes} B a poll (${hall.dataOutGb} GB out); goal < 20`);
    const perCase = costs.perCase;
    rows.push(['  case (1-step, approved)', `${perCase.stateTransitions} transitions`, `${perCase.lambdaTaskInvocations} task Lambdas, ${perCase.workflowRcu} RCU + ${perCase.workflowWcu} WCU in the workflow, ${perCase.residentSms} SMS (${perCase.smsSegments} segments), ${perCase.staffMessages} staff message`]);
  } finally {
    await platform.stop();
  }

  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'metric'.padEnd(width)}  ${'value'.padStart(10)}  note`);
  for (const [key, value, note] of rows) console.log(`${key.padEnd(width)}  ${value.padStart(10)}  ${note}`);
  console.log(`\nwritten to .bench/results.json; function sizes (KB) under "bundleKB"`);
}

await main();
process.exit(0);
