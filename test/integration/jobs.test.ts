// Issue 20 items 3–4: jobs from home. The employment window of a centre publishes postings; anyone lists the open
// ones of a centre and the centres near it; a resident applies once (a race of five → one 201) with a note and a
// CV upload that is then kept and opened only by the applicant and the posting's centre; staff move applications
// forward and the applicant is told at each step; a closed posting refuses; an approved 失业登记 makes a resident a
// job seeker told of new postings in the inbox; applications and hires are counted in GET /stats.

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as fanOutMessages } from '../../functions/messages/fan-out-messages.ts';
import { migrateCvsToPurgeList } from '../../infra/local/migrations.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { createPosting, getPosting, registerJobSeeker } from '../../shared/data/jobs.ts';
import { transactWrite } from '../../shared/data/conditional-writes.ts';
import { getFanOutJob } from '../../shared/data/fan-outs.ts';
import { listResidentMessages } from '../../shared/data/messages.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { getUpload, listUploadsDueForPurge } from '../../shared/data/uploads.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { jobKeys, uploadKeys } from '../../shared/data/keys.ts';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { centresShownTo, CV_RETENTION_DAYS, cvPurgeAt, nearbyCentres, NEARBY_KM, type JobPosting } from '../../shared/domain/jobs.ts';
import { storageKey } from '../../shared/domain/uploads.ts';
import { readHead } from '../../shared/ports/file-reads.ts';
import { pdfFile, putFile, startTestFileStore } from '../support/files.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { loadEntry, runScheduledAt, startEngine } from '../support/workflow-harness.ts';

const WINDOW: TestCaller = { sub: 'jobs-window', role: 'staff', categories: ['employment'] };
const OTHER_WINDOW: TestCaller = { sub: 'jobs-other-window', role: 'staff', categories: ['housing-civil'] };
const FAR_WINDOW: TestCaller = { sub: 'jobs-far-window', role: 'staff', categories: ['employment'], centre: 'balizhuang' };
const NEAR_WINDOW: TestCaller = { sub: 'jobs-near-window', role: 'staff', categories: ['employment'], centre: 'huilongguan' };
const today = shanghaiDate(new Date());
const posting = (overrides: Record<string, unknown> = {}) => ({
  employer: '北京紫竹科技有限公司',
  title: '社区网格员',
  payRange: { min: 5000, max: 7000 },
  place: '紫竹院街道',
  requirements: '高中以上学历，熟悉电脑操作。',
  closesOn: addDays(today, 14),
  ...overrides,
});
const call = async (entry: string, route: string, options: Parameters<typeof invoke>[2]) => invoke(await loadEntry(entry), route, options);
const publish = (who: TestCaller, body: unknown) => call('functions/jobs/publish-job.ts', 'POST /jobs', { caller: who, body });
const apply = (who: TestCaller, id: string, body: unknown = {}) => call('functions/jobs/apply-to-job.ts', 'POST /jobs/{id}/applications', { caller: who, params: { id }, body });
const setStatus = (who: TestCaller, id: string, status: string) => call('functions/jobs/set-application-status.ts', 'POST /applications/{id}/status', { caller: who, params: { id }, body: { status } });
const listJobs = (query: Record<string, string>) => call('functions/jobs/list-jobs.ts', 'GET /jobs', { query });
const messagesOf = async (residentId: string) => (await listResidentMessages(residentId, 100)).items;

let engine: AslWorkflowEngine;
let store: Awaited<ReturnType<typeof startTestFileStore>>;
beforeAll(async () => {
  store = await startTestFileStore();
  engine = startEngine();
});
afterAll(async () => {
  await engine?.stop();
  await store?.close();
});

describe('publishing and listing postings', () => {
  it('lets the employment window publish a posting of its own centre, and no other window', async () => {
    const res = await publish(WINDOW, posting());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ centre: 'zizhuyuan', status: 'open', payRange: { min: 5000, max: 7000 } });
    expect(res.body.publishedBy).toBeUndefined();
    expect((await publish(OTHER_WINDOW, posting())).status).toBe(403);
  });

  it('refuses a closing day in the past or beyond 90 days, and a pay range upside down, at their paths', async () => {
    const past = await publish(WINDOW, posting({ closesOn: addDays(today, -1) }));
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ path: 'closesOn', message: expect.any(String) }]);
    expect((await publish(WINDOW, posting({ closesOn: addDays(today, 91) }))).status).toBe(400);
    const upsideDown = await publish(WINDOW, posting({ payRange: { min: 8000, max: 6000 } }));
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.body.errors[0].path).toBe('payRange.max');
  });

  it(`shows a centre's open postings with those of the centres within ${NEARBY_KM} km, or the centre's alone`, async () => {
    expect(nearbyCentres(findCentre('zizhuyuan')!).map((c) => c.code)).toEqual(['huilongguan']);
    expect(centresShownTo('balizhuang')).toEqual(['balizhuang']);
    const near = (await publish(NEAR_WINDOW, posting({ title: '回龙观保安' }))).body;
    const far = (await publish(FAR_WINDOW, posting({ title: '八里庄保洁' }))).body;
    const own = (await publish(WINDOW, posting({ title: '紫竹院收银员', closesOn: addDays(today, 3) }))).body;

    const shown = await listJobs({ centre: 'zizhuyuan', limit: '100' });
    expect(shown.status).toBe(200);
    const ids = shown.body.items.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([near.id, own.id]));
    expect(ids).not.toContain(far.id);
    // Soonest closing first.
    expect(shown.body.items[0].id).toBe(own.id);
    const alone = (await listJobs({ centre: 'zizhuyuan', nearby: 'false', limit: '100' })).body.items.map((p: { id: string }) => p.id);
    expect(alone).toContain(own.id);
    expect(alone).not.toContain(near.id);
    const city = (await listJobs({ limit: '100' })).body.items.map((p: { id: string }) => p.id);
    expect(city).toEqual(expect.arrayContaining([near.id, far.id, own.id]));
  });
});

describe('applying', () => {
  it('takes one application per resident and posting: of five at once exactly one is 201, the rest 409 already_applied', async () => {
    const job = (await publish(WINDOW, posting({ title: '竞赛岗位' }))).body;
    const racer = await residentWithProfile('jobs-racer', 801);
    const answers = await Promise.all(Array.from({ length: 5 }, () => apply(racer, job.id, { note: '我有三年经验' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'already_applied')).toBe(true);
    const mine = await call('functions/jobs/list-my-applications.ts', 'GET /me/applications', { caller: racer });
    expect(mine.body.items.filter((a: { postingId: string }) => a.postingId === job.id)).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ status: 'applied', note: '我有三年经验', posting: { title: '竞赛岗位' }, hasCv: false });
  });

  it('binds the CV upload to the application: off the sweep list, on the purge list, opened by the applicant and the centre window only', async () => {
    const job = (await publish(WINDOW, posting({ title: '带简历岗位' }))).body;
    const applicant = await residentWithProfile('jobs-cv', 803);
    const other = await residentWithProfile('jobs-cv-other', 804);
    const slot = await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: applicant, body: { fileName: 'cv.pdf', contentType: 'application/pdf', size: 2048 } });
    expect(slot.status).toBe(201);
    // Somebody else's upload reads as none.
    expect((await apply(other, job.id, { cvUploadId: slot.body.uploadId })).status).toBe(400);
    const res = await apply(applicant, job.id, { note: '附简历', cvUploadId: slot.body.uploadId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.hasCv).toBe(true);
    expect(await getUpload(slot.body.uploadId)).toMatchObject({ status: 'attached', applicationId: res.body.id });
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: uploadKeys.item(slot.body.uploadId) }));
    expect(Item!.gsi2pk).toBe(uploadKeys.purge);
    expect(Item!.expiresAt).toBeUndefined();

    const cv = (who: TestCaller) => call('functions/jobs/view-application-cv.ts', 'GET /applications/{id}/cv', { caller: who, params: { id: res.body.id } });
    expect((await cv(applicant)).status).toBe(302);
    expect((await cv(WINDOW)).status).toBe(302);
    for (const refused of [other, OTHER_WINDOW, FAR_WINDOW]) expect((await cv(refused)).status).toBe(404);
    // The same upload cannot be a second application's CV.
    const second = (await publish(WINDOW, posting({ title: '第二岗位' }))).body;
    expect((await apply(applicant, second.id, { cvUploadId: slot.body.uploadId })).status).toBe(400);
  });

  it(`keeps a CV until ${CV_RETENTION_DAYS} days after its posting's closing day, then the purge deletes file and record`, async () => {
    const job = (await publish(WINDOW, posting({ title: '简历保留岗位', closesOn: addDays(today, 5) }))).body;
    const applicant = await residentWithProfile('jobs-cv-kept', 813);
    const bytes = pdfFile();
    const slot = await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: applicant, body: { fileName: 'cv.pdf', contentType: 'application/pdf', size: bytes.length } });
    expect((await putFile(slot.body, bytes)).status).toBe(200);
    const res = await apply(applicant, job.id, { cvUploadId: slot.body.uploadId });
    expect(res.body.cvKeptUntil).toBe(addDays(today, 5 + CV_RETENTION_DAYS));

    const purgeAt = new Date(`${addDays(today, 5 + CV_RETENTION_DAYS + 1)}T00:00:00+08:00`);
    expect((await listUploadsDueForPurge(new Date(purgeAt.getTime() - 1000), 100)).map((u) => u.id)).not.toContain(slot.body.uploadId);
    expect((await listUploadsDueForPurge(purgeAt, 100)).map((u) => u.id)).toContain(slot.body.uploadId);

    const cv = () => call('functions/jobs/view-application-cv.ts', 'GET /applications/{id}/cv', { caller: applicant, params: { id: res.body.id } });
    expect((await cv()).status).toBe(302);
    await runScheduledAt('functions/uploads/purge-files.ts', new Date(purgeAt.getTime() + 1000));
    expect(await getUpload(slot.body.uploadId)).toBeUndefined();
    expect(await readHead(storageKey(slot.body.uploadId), 8)).toBeUndefined();
    expect((await cv()).status).toBe(404);
    // The application itself stays, with its status and history.
    expect((await call('functions/jobs/list-my-applications.ts', 'GET /me/applications', { caller: applicant, query: {} })).body.items[0]).toMatchObject({ id: res.body.id, status: 'applied', hasCv: true });
  });

  it('puts a CV bound before CVs had a retention on the purge list, once, at start-up', async () => {
    const job = (await publish(WINDOW, posting({ title: '旧简历岗位', closesOn: addDays(today, 2) }))).body;
    const applicant = await residentWithProfile('jobs-cv-old', 814);
    const slot = await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: applicant, body: { fileName: 'cv.pdf', contentType: 'application/pdf', size: 2048 } });
    await apply(applicant, job.id, { cvUploadId: slot.body.uploadId });
    // As an earlier version left it: attached, on no list.
    await db.send(new UpdateCommand({ TableName: tableName, Key: uploadKeys.item(slot.body.uploadId), UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }));

    expect(await migrateCvsToPurgeList()).toBeGreaterThanOrEqual(1);
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: uploadKeys.item(slot.body.uploadId) }));
    expect(Item).toMatchObject({ gsi2pk: uploadKeys.purge, gsi2sk: uploadKeys.order(cvPurgeAt(addDays(today, 2)), slot.body.uploadId) });
    expect(await migrateCvsToPurgeList()).toBe(0);
  });

  it('refuses a posting past its closing day (409 invalid_state), closes it by schedule, and then lists it no more', async () => {
    const stale: JobPosting = {
      id: `J${today.replaceAll('-', '')}-0000beef`,
      centre: 'zizhuyuan',
      employer: '过期单位',
      title: '过期岗位',
      payRange: { min: 1, max: 2 },
      place: '紫竹院',
      requirements: '无',
      closesOn: addDays(today, -1),
      status: 'open',
      publishedAt: new Date().toISOString(),
      publishedBy: 'jobs-window',
    };
    await createPosting(stale, new Date());
    const late = await residentWithProfile('jobs-late', 805);
    const before = await apply(late, stale.id);
    expect(before.status).toBe(409);
    expect(before.body.code).toBe('invalid_state');
    expect((await listJobs({ centre: 'zizhuyuan', limit: '100' })).body.items.map((p: { id: string }) => p.id)).not.toContain(stale.id);

    const run = await (await loadEntry('functions/jobs/close-jobs.ts'))({}, {});
    expect(run.closed).toBeGreaterThanOrEqual(1);
    expect(await getPosting(stale.id)).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await (await loadEntry('functions/jobs/close-jobs.ts'))({}, {})).closed).toBe(0);
    const after = await apply(late, stale.id);
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('invalid_state');
    // An application's claim never was written.
    expect((await db.send(new GetCommand({ TableName: tableName, Key: jobKeys.applicant(stale.id, 'jobs-late') }))).Item).toBeUndefined();
  });

  it('is 404 for a posting that does not exist', async () => {
    const resident = await residentWithProfile('jobs-nothing', 806);
    expect((await apply(resident, 'J20261201-00000000')).status).toBe(404);
  });
});

describe('moving applications on', () => {
  it('lets the window of the posting’s centre move an application forward, telling the applicant at each step, and never back', async () => {
    const job = (await publish(WINDOW, posting({ title: '流程岗位' }))).body;
    const applicant = await residentWithProfile('jobs-steps', 807);
    const applied = (await apply(applicant, job.id, { note: '盼回复' })).body;

    const applicants = await call('functions/jobs/list-job-applications.ts', 'GET /jobs/{id}/applications', { caller: WINDOW, params: { id: job.id } });
    expect(applicants.status).toBe(200);
    expect(applicants.body.items).toEqual([expect.objectContaining({ id: applied.id, applicant: { name: '居民807', phone: expect.stringMatching(/\*{4}/) }, note: '盼回复' })]);
    expect((await call('functions/jobs/list-job-applications.ts', 'GET /jobs/{id}/applications', { caller: FAR_WINDOW, params: { id: job.id } })).status).toBe(404);
    expect((await call('functions/jobs/list-job-applications.ts', 'GET /jobs/{id}/applications', { caller: OTHER_WINDOW, params: { id: job.id } })).status).toBe(403);
    expect((await setStatus(FAR_WINDOW, applied.id, 'contacted')).status).toBe(404);

    for (const status of ['contacted', 'interview', 'hired']) {
      const res = await setStatus(WINDOW, applied.id, status);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe(status);
    }
    const told = (await messagesOf('jobs-steps')).filter((m) => m.template === 'job-application-status');
    expect(told.map((m) => m.params.step).reverse()).toEqual(['用人单位将与您联系', '已安排面试，请留意来电', '已被录用']);
    expect(told.every((m) => m.channel === 'sms' && m.reference === applied.id)).toBe(true);

    const back = await setStatus(WINDOW, applied.id, 'contacted');
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('invalid_state');
    expect((await setStatus(WINDOW, applied.id, 'declined')).status).toBe(409);
  });

  it('lets one of two clerks moving the same application at once win', async () => {
    const job = (await publish(WINDOW, posting({ title: '并发岗位' }))).body;
    const applicant = await residentWithProfile('jobs-twice', 809);
    const applied = (await apply(applicant, job.id)).body;
    const [a, b] = await Promise.all([setStatus(WINDOW, applied.id, 'interview'), setStatus({ ...WINDOW, sub: 'jobs-window-2' }, applied.id, 'declined')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('counts applications and hires per centre in GET /stats', async () => {
    const stats = await call('functions/stats/get-stats.ts', 'GET /stats', { caller: { sub: 'jobs-supervisor', role: 'supervisor' }, query: { from: today, to: today } });
    expect(stats.status).toBe(200);
    const row = stats.body.centres.find((c: { centre: string }) => c.centre === 'zizhuyuan');
    expect(row.jobApplications).toBeGreaterThanOrEqual(4);
    expect(row.jobHires).toBe(1);
  });
});

describe('telling registered job seekers', () => {
  it('registers a resident as a job seeker of the centre when their 失业登记 is approved', async () => {
    const seeker = await residentWithProfile('jobs-seeker', 811);
    const submitted = await call('functions/cases/submit-case.ts', 'POST /cases', {
      caller: seeker,
      body: { matter: 'unemployment-registration', materials: [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }] },
    });
    const taskId = `${submitted.body.id}-R1S1`;
    await vi.waitFor(async () => expect((await getTask(taskId))?.status).toBe('pending'), { timeout: 15_000, interval: 50 });
    expect((await call('functions/tasks/decide-task.ts', 'POST /tasks/{id}/decision', { caller: WINDOW, params: { id: taskId }, body: { decision: 'approve' } })).status).toBe(200);
    await vi.waitFor(
      async () => expect((await db.send(new GetCommand({ TableName: tableName, Key: jobKeys.jobSeeker('zizhuyuan', 'jobs-seeker') }))).Item).toMatchObject({ caseId: submitted.body.id }),
      { timeout: 15_000, interval: 100 },
    );
  });

  it("tells the centre's job seekers of a new posting in their inbox, once, and nobody of another centre", async () => {
    await residentWithProfile('jobs-seeker-2', 812);
    await transactWrite(new TransactWriteCommand({ TransactItems: [registerJobSeeker('zizhuyuan', 'jobs-seeker-2', 'C20261201-0001', new Date().toISOString()), registerJobSeeker('balizhuang', 'jobs-seeker-far', 'C20261201-0002', new Date().toISOString())] }));
    const job = (await publish(WINDOW, posting({ title: '通知岗位' }), )).body;
    const told = (await messagesOf('jobs-seeker-2')).filter((m) => m.template === 'job-posted' && m.reference === job.id);
    expect(told).toEqual([expect.objectContaining({ channel: 'inbox', status: 'delivered', params: expect.objectContaining({ title: '通知岗位' }) })]);
    expect((await messagesOf('jobs-seeker-far')).filter((m) => m.reference === job.id)).toEqual([]);
  });

  it('tells every job seeker of a centre with more than a page of them: the request the first page, the scheduled job the rest, each once', async () => {
    const seekers = Array.from({ length: 230 }, (_, i) => `jobs-many-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < seekers.length; i += 100) {
      const items = seekers.slice(i, i + 100).map((id) => registerJobSeeker('huilongguan', id, 'C20261201-0003', new Date().toISOString()));
      await transactWrite(new TransactWriteCommand({ TransactItems: items }));
    }
    const job = (await publish(NEAR_WINDOW, posting({ title: '回龙观网格员' }))).body;
    const toldOf = async (ids: string[]) => (await Promise.all(ids.map(messagesOf))).map((ms) => ms.filter((m) => m.reference === job.id).length);
    const firstPage = await toldOf(seekers);
    expect(firstPage.filter((n) => n === 1)).toHaveLength(100);
    expect(firstPage.every((n) => n <= 1)).toBe(true);
    expect(await getFanOutJob({ postingId: job.id })).toMatchObject({ status: 'pending', sent: 100 });

    // The scheduled job, run as EventBridge runs it: once to finish, and again, which finds nothing left to send.
    await fanOutMessages();
    expect(await getFanOutJob({ postingId: job.id })).toMatchObject({ status: 'done', sent: 230 });
    await fanOutMessages();
    expect(await toldOf(seekers)).toEqual(seekers.map(() => 1));
  });
});
