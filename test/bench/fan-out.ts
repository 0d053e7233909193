// fanOutPerSecond: a notice to every resident of a community of FAN_OUT_RESIDENTS on DynamoDB Local, sent as
// the platform sends it (the first page by the publishing request, the rest by the scheduled job) through the
// outbox stand-in at SMS_RATE_PER_SECOND, each resident once. Run by test/bench/run.ts in a process of its own,
// so its modules bind to its own table; it prints one JSON line.

import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../infra/local/table-setup.ts';

const residents = Number(process.env.FAN_OUT_RESIDENTS ?? 10_000);
const table = process.env.TABLE_NAME!;
const community = 'sunshine-garden';

const { profileItem } = await import('../../shared/data/residents.ts');
const { publishNotice } = await import('../../shared/data/notices.ts');
const { leaseFanOutJob, getFanOutJob } = await import('../../shared/data/fan-outs.ts');
const { runFanOut } = await import('../../functions/messages/lib/fan-out.ts');
const { handler: fanOutNotices } = await import('../../functions/messages/fan-out-messages.ts');

const raw = new DynamoDBClient({});
await ensureTable(raw, table);
const db = DynamoDBDocumentClient.from(raw);
const items = Array.from({ length: residents }, (_, i) =>
  profileItem({
    userId: `fan-${String(i).padStart(6, '0')}`,
    name: '居民',
    idNumber: '11010519491231002X',
    birthDate: '1949-12-31',
    sex: 'female',
    phone: `+86137${String(i).padStart(8, '0')}`,
    community,
    updatedAt: '2026-12-01T00:00:00.000Z',
  }),
);
for (let i = 0; i < items.length; i += 25 * 16) {
  await Promise.all(
    Array.from({ length: 16 }, (_, b) => items.slice(i + b * 25, i + (b + 1) * 25))
      .filter((batch) => batch.length > 0)
      .map((batch) => db.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } }))),
  );
}
const now = new Date();
const notice = { id: `N-bench-${now.getTime()}`, community, kind: 'water-outage' as const, title: '停水通知', body: '12月3日9时至17时管道检修，请提前储水。', startsAt: now.toISOString(), publishedAt: now.toISOString(), publishedBy: 'bench' };

const started = performance.now();
// As POST /notices: the notice and its job in one write, then the first page by the request itself.
const job = await publishNotice(notice, now);
await runFanOut((await leaseFanOutJob(job, new Date()))!, { maxPages: 1 });
let runs = 0;
while ((await getFanOutJob({ noticeId: notice.id }))?.status !== 'done') {
  await fanOutNotices({ time: new Date().toISOString() });
  runs++;
}
const seconds = (performance.now() - started) / 1000;

const sent = readFileSync(process.env.OUTBOX_FILE!, 'utf8')
  .split('\n')
  .filter((line) => line.includes(notice.id))
  .map((line) => (JSON.parse(line) as { to: string }).to);
const finished = await getFanOutJob({ noticeId: notice.id });
console.log(JSON.stringify({ residents, seconds, perSecond: residents / seconds, sms: sent.length, distinctPhones: new Set(sent).size, jobSent: finished?.sent, jobRuns: runs }));
process.exit(0);
