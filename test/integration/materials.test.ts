// Materials as real files through the handlers and the real review workflow, against DynamoDB Local and the
// local file store over HTTP: upload slots and who may have one, attaching an upload to exactly one case,
// the review's verdict on each file (every problem at once), viewing with every staff view in the history,
// the 24-hour sweep of unattached uploads, the retention purge and the deletion hook for withdrawn cases.

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteCaseFiles } from '../../functions/uploads/lib/delete-uploads.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { getCase } from '../../shared/data/cases.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { createUpload, getUpload, listUploadsDueForPurge } from '../../shared/data/uploads.ts';
import type { Case } from '../../shared/domain/cases.ts';
import { FILE_RETENTION_DAYS, MAX_FILE_BYTES, storageKey, type Upload } from '../../shared/domain/uploads.ts';
import { readHead } from '../../shared/ports/file-reads.ts';
import { uploadSlot } from '../../shared/ports/file-uploads.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { pdfFile, pngFile, putFile, startTestFileStore, textFile } from '../support/files.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { loadEntry, runScheduledAt, startEngine } from '../support/workflow-harness.ts';

const DAY_MS = 86_400_000;
let store: Awaited<ReturnType<typeof startTestFileStore>>;
let engine: AslWorkflowEngine;
let resident: TestCaller;
let other: TestCaller;
const clerk: TestCaller = { sub: 'mat-clerk', role: 'staff', categories: ['social-insurance'] };
const farClerk: TestCaller = { sub: 'mat-clerk-far', role: 'staff', categories: ['social-insurance'], centre: 'balizhuang' };
const supervisor: TestCaller = { sub: 'mat-sup', role: 'supervisor' };

beforeAll(async () => {
  store = await startTestFileStore();
  engine = startEngine();
  resident = await residentWithProfile('mat-resident', 961);
  other = await residentWithProfile('mat-other', 962);
});
afterAll(async () => {
  await engine?.stop();
  await store?.close();
});

const call = async (entry: string, route: string, options: Parameters<typeof invoke>[2]) => invoke(await loadEntry(entry), route, options);

/** POST /uploads, then the file PUT to the slot as a phone would (unless `put` is false). */
async function upload(caller: TestCaller, bytes: Buffer, contentType: string, options: { put?: boolean; forResident?: string } = {}) {
  const res = await call('functions/uploads/create-upload.ts', 'POST /uploads', {
    caller,
    body: { fileName: 'scan', contentType, size: bytes.length, ...(options.forResident ? { forResident: options.forResident } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (options.put !== false) expect((await putFile(res.body, bytes)).status).toBe(200);
  return res.body.uploadId as string;
}

const submit = (caller: TestCaller, matter: string, materials: unknown[]) =>
  call('functions/cases/submit-case.ts', 'POST /cases', { caller, body: { matter, materials } });

async function caseReaches(id: string, status: Case['status']): Promise<Case> {
  return vi.waitFor(
    async () => {
      const c = await getCase(id);
      if (c?.status !== status) throw new Error(`case ${id} is ${c?.status}`);
      return c;
    },
    { timeout: 15_000, interval: 50 },
  );
}

const view = (caller: TestCaller, id: string, type: string) =>
  call('functions/cases/view-material.ts', 'GET /cases/{id}/materials/{type}', { caller, params: { id, type } });

const tagOf = (uploadId: string) =>
  (JSON.parse(readFileSync(join(store.dir, 'meta', `${encodeURIComponent(storageKey(uploadId))}.json`), 'utf8')) as { tags: Record<string, string> }).tags.upload;

describe('upload slots', () => {
  it('answers 201 with the URL to PUT to, its method and headers, and when it expires', async () => {
    const before = Date.now();
    const res = await call('functions/uploads/create-upload.ts', 'POST /uploads', {
      caller: resident,
      body: { fileName: '身份证.jpg', contentType: 'image/jpeg', size: 123_456 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      uploadId: expect.stringMatching(/^U[0-9a-f]{32}$/),
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'if-none-match': '*', 'x-amz-tagging': 'upload=unattached' },
      contentType: 'image/jpeg',
      size: 123_456,
      residentId: resident.sub,
    });
    expect(res.body.url).toContain(`/uploads/${res.body.uploadId}?`);
    // Five minutes from when the slot was made.
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(await getUpload(res.body.uploadId)).toMatchObject({ status: 'pending', residentId: resident.sub, uploadedBy: resident.sub });
  });

  it.each([
    ['a type the review cannot check', { contentType: 'text/plain', size: 10 }, 'contentType'],
    ['an empty file', { contentType: 'image/png', size: 0 }, 'size'],
    ['more than 10 MB', { contentType: 'application/pdf', size: MAX_FILE_BYTES + 1 }, 'size'],
    ['a resident uploading for someone else', { contentType: 'image/png', size: 10, forResident: 'mat-other' }, 'forResident'],
  ])('refuses %s with 400 at the field', async (_what, fields, path) => {
    const res = await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: resident, body: { fileName: 'x', ...fields } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });

  it('lets a clerk upload for a resident of their centre only (another centre’s resident reads as none)', async () => {
    const body = { fileName: 'card', contentType: 'image/png', size: 10 };
    expect((await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: clerk, body })).status).toBe(400);
    const forResident = await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: clerk, body: { ...body, forResident: resident.sub } });
    expect(forResident.status).toBe(201);
    expect(await getUpload(forResident.body.uploadId)).toMatchObject({ residentId: resident.sub, uploadedBy: clerk.sub });
    expect((await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: farClerk, body: { ...body, forResident: resident.sub } })).status).toBe(404);
    expect((await call('functions/uploads/create-upload.ts', 'POST /uploads', { caller: clerk, body: { ...body, forResident: 'nobody-here' } })).status).toBe(404);
  });
});

describe('attaching uploads to a case', () => {
  it('refuses another resident’s upload with 400 at its path, and writes nothing', async () => {
    const theirs = await upload(other, pngFile(), 'image/png');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: theirs },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'materials.0.uploadId', message: expect.stringContaining('no upload of yours') }]);
    expect(await getUpload(theirs)).toMatchObject({ status: 'pending' });
  });

  it('refuses an upload named twice, and a material with both or neither of uploadId and ref', async () => {
    const mine = await upload(resident, pngFile(), 'image/png');
    const twice = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: mine },
      { type: 'termination-proof', uploadId: mine },
    ]);
    expect(twice.status).toBe(400);
    expect(twice.body.errors.map((e: { path: string }) => e.path)).toEqual(['materials.1.uploadId']);
    const both = await submit(resident, 'unemployment-registration', [{ type: 'id-card', uploadId: mine, ref: 'x' }]);
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(['materials.0.uploadId']);
    const neither = await submit(resident, 'unemployment-registration', [{ type: 'id-card' }]);
    expect(neither.status).toBe(400);
  });

  it('attaches an upload to exactly one case, even when two submissions race for it', async () => {
    const card = await upload(resident, pngFile(), 'image/png');
    const materials = [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ];
    const answers = await Promise.all([submit(resident, 'unemployment-registration', materials), submit(resident, 'unemployment-registration', materials)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    const winner = answers.find((a) => a.status === 201)!.body.id as string;
    expect(await getUpload(card)).toMatchObject({ status: 'attached', caseId: winner, materialType: 'id-card' });
    const again = await submit(resident, 'unemployment-registration', materials);
    expect(again.body.errors).toEqual([{ path: 'materials.0.uploadId', message: expect.stringContaining('another case') }]);
  });

  it('lets a resident attach what the clerk uploaded for them at the counter', async () => {
    const card = await upload(clerk, pngFile(), 'image/png', { forResident: resident.sub });
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect(res.status).toBe(201);
    expect((await caseReaches(res.body.id, 'in_review')).materials[0]).toEqual({ type: 'id-card', uploadId: card, verified: true });
  });
});

describe('the automatic review of files', () => {
  it('accepts a real PNG and PDF, marks them verified, and keeps them past the unattached expiry', async () => {
    const card = await upload(resident, pngFile(), 'image/png');
    const proof = await upload(resident, pdfFile(), 'application/pdf');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', uploadId: proof },
    ]);
    expect(res.status).toBe(201);
    const reviewed = await caseReaches(res.body.id, 'in_review');
    expect(reviewed.materials).toEqual([
      { type: 'id-card', uploadId: card, verified: true },
      { type: 'termination-proof', uploadId: proof, verified: true },
    ]);
    expect(reviewed.materialProblems).toEqual([]);
    expect([tagOf(card), tagOf(proof)]).toEqual(['attached', 'attached']);
  });

  it('returns a case with every problem at once: a text file renamed .png, a file never sent, a material not given', async () => {
    const renamed = await upload(resident, textFile(), 'image/png');
    const neverSent = await upload(resident, pdfFile(), 'application/pdf', { put: false });
    const res = await submit(resident, 'minimum-living-allowance', [
      { type: 'id-card', uploadId: renamed },
      { type: 'household-register', uploadId: neverSent },
    ]);
    const returned = await caseReaches(res.body.id, 'returned');
    expect(returned.materialProblems).toEqual([
      { type: 'id-card', problem: 'wrong_file_type' },
      { type: 'household-register', problem: 'upload_missing' },
    ]);
    expect(returned.missingMaterials).toEqual(['id-card', 'household-register', 'income-proof']);
    expect(returned.materials).toEqual([
      { type: 'id-card', uploadId: renamed, verified: false },
      { type: 'household-register', uploadId: neverSent, verified: false },
    ]);
    expect(returned.history.at(-1)!.note).toBe('自动预审退回：材料不全（居民身份证：文件类型不符；户口簿：未收到文件）');
    // The SMS follows the transition: wait for it. It names the materials, never a file.
    const sms = await vi.waitFor(() => {
      const sent = readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.template === 'case-returned' && m.body.includes(res.body.id));
      expect(sent).toHaveLength(1);
      return sent[0]!;
    });
    expect(sms.body).toContain('居民身份证、户口簿、');
    expect(sms.body).not.toMatch(/scan|U[0-9a-f]{32}/);
  });

  it('finds a stored file above 10 MB too large by its size alone, reading 8 bytes of it', async () => {
    const id = await upload(resident, pngFile(), 'image/png', { put: false });
    // Storage holding more than the signed length is what only a changed storage could do: written in place here.
    const big = Buffer.alloc(MAX_FILE_BYTES + 1);
    pngFile().copy(big);
    const name = encodeURIComponent(storageKey(id));
    writeFileSync(join(store.dir, 'data', name), big);
    writeFileSync(join(store.dir, 'meta', `${name}.json`), JSON.stringify({ contentType: 'image/png', size: big.length, etag: '"x"', createdAt: new Date().toISOString(), tags: {} }));
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: id },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect((await caseReaches(res.body.id, 'returned')).materialProblems).toEqual([{ type: 'id-card', problem: 'too_large' }]);
  });

  it('takes a v1 ref as present but never as verified', async () => {
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', ref: 'oss://id.jpg' },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    await caseReaches(res.body.id, 'in_review');
    const shown = await call('functions/cases/get-case.ts', 'GET /cases/{id}', { caller: resident, params: { id: res.body.id } });
    expect(shown.body.materials).toEqual([
      { type: 'id-card', ref: 'oss://id.jpg', verified: false },
      { type: 'termination-proof', ref: 'oss://proof.pdf', verified: false },
    ]);
  });

  it('reviews a resubmission again, and puts the replaced file on the purge list', async () => {
    const renamed = await upload(resident, textFile(), 'image/png');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: renamed },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    await caseReaches(res.body.id, 'returned');
    const card = await upload(resident, pngFile(), 'image/png');
    const added = await call('functions/cases/add-materials.ts', 'POST /cases/{id}/materials', {
      caller: resident,
      params: { id: res.body.id },
      body: { materials: [{ type: 'id-card', uploadId: card }] },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.materialProblems).toEqual([]);
    const reviewed = await caseReaches(res.body.id, 'in_review');
    expect(reviewed.materials).toEqual([
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
      { type: 'id-card', uploadId: card, verified: true },
    ]);
    expect((await listUploadsDueForPurge(new Date(), 100)).map((u) => u.id)).toContain(renamed);
  });
});

describe('viewing a material', () => {
  let caseId: string;
  let card: string;
  beforeAll(async () => {
    card = await upload(resident, pngFile(), 'image/png');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    caseId = res.body.id;
    await caseReaches(caseId, 'in_review');
  });

  it('sends the owner to a short-lived URL of the bytes, and writes no history for it', async () => {
    const res = await view(resident, caseId, 'id-card');
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    const file = await fetch(String(res.headers.location));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pngFile());
    expect((await getCase(caseId))!.history.filter((h) => h.material)).toEqual([]);
  });

  it('lets staff and supervisors of the case’s centre look, and writes who looked and when into the history', async () => {
    const before = new Date().toISOString();
    expect((await view(clerk, caseId, 'id-card')).status).toBe(302);
    expect((await view(supervisor, caseId, 'id-card')).status).toBe(302);
    const views = (await getCase(caseId))!.history.filter((h) => h.material);
    expect(views).toEqual([
      { at: expect.any(String), status: 'in_review', actor: clerk.sub, actorName: '社会保险窗口', note: '查看材料：居民身份证', material: 'id-card' },
      { at: expect.any(String), status: 'in_review', actor: supervisor.sub, actorName: '科室负责人', note: '查看材料：居民身份证', material: 'id-card' },
    ]);
    expect(views[0]!.at >= before).toBe(true);
  });

  it('answers 404 to another resident and to staff of another centre, and writes nothing', async () => {
    const historyBefore = (await getCase(caseId))!.history.length;
    expect((await view(other, caseId, 'id-card')).status).toBe(404);
    expect((await view(farClerk, caseId, 'id-card')).status).toBe(404);
    expect((await view({ sub: 'mat-sup-far', role: 'supervisor', centre: 'balizhuang' }, caseId, 'id-card')).status).toBe(404);
    expect((await getCase(caseId))!.history).toHaveLength(historyBefore);
  });

  it('answers 404 for a v1 ref (no file here), a material not given and a case that does not exist', async () => {
    expect((await view(resident, caseId, 'termination-proof')).status).toBe(404);
    expect((await view(resident, caseId, 'income-proof')).status).toBe(404);
    expect((await view(resident, 'C20200101-9999', 'id-card')).status).toBe(404);
  });
});

describe('unattached uploads and retention', () => {
  /** An upload as if its slot had been handed out `hoursAgo` hours ago, its file sent. */
  async function oldUpload(hoursAgo: number): Promise<string> {
    const bytes = pngFile();
    const id = `U${randomBytes(16).toString('hex')}`;
    const upload: Upload = {
      id,
      residentId: resident.sub,
      uploadedBy: resident.sub,
      fileName: 'old.png',
      contentType: 'image/png',
      size: bytes.length,
      status: 'pending',
      createdAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    };
    await createUpload(upload);
    expect((await putFile(await uploadSlot(storageKey(id), upload, 300), bytes)).status).toBe(200);
    return id;
  }

  it('deletes uploads never attached within 24 hours, file and record; fresh and attached ones stay', async () => {
    const stale = await oldUpload(25);
    const fresh = await oldUpload(23);
    const attachedOld = await oldUpload(25);
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: attachedOld },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect(res.status).toBe(201);

    const result = await (await loadEntry('functions/uploads/sweep-uploads.ts'))({}, {});
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await getUpload(stale)).toBeUndefined();
    expect(await readHead(storageKey(stale), 8)).toBeUndefined();
    expect(await getUpload(fresh)).toMatchObject({ status: 'pending' });
    expect(await readHead(storageKey(fresh), 8)).toBeDefined();
    expect(await getUpload(attachedOld)).toMatchObject({ status: 'attached' });

    const late = await submit(resident, 'unemployment-registration', [{ type: 'id-card', uploadId: stale }]);
    expect(late.body.errors).toEqual([{ path: 'materials.0.uploadId', message: expect.stringContaining('24 hours') }]);
  });

  it('keeps a decided case’s files for the retention period, then the purge deletes them', async () => {
    const card = await upload(resident, pngFile(), 'image/png');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    const taskId = `${res.body.id}-R1S1`;
    await vi.waitFor(async () => expect((await getTask(taskId))?.status).toBe('pending'), { timeout: 15_000, interval: 50 });
    const caseworker: TestCaller = { sub: 'mat-cw', role: 'staff', categories: ['employment'] };
    expect((await call('functions/tasks/decide-task.ts', 'POST /tasks/{id}/decision', { caller: caseworker, params: { id: taskId }, body: { decision: 'approve' } })).status).toBe(200);
    const decided = await caseReaches(res.body.id, 'approved');

    const purgeDay = new Date(Date.parse(decided.decidedAt!) + FILE_RETENTION_DAYS * DAY_MS);
    expect((await listUploadsDueForPurge(new Date(purgeDay.getTime() - 1000), 100)).map((u) => u.id)).not.toContain(card);
    expect((await listUploadsDueForPurge(purgeDay, 100)).map((u) => u.id)).toContain(card);

    await runScheduledAt('functions/uploads/purge-files.ts', new Date(purgeDay.getTime() + 1000));
    expect(await getUpload(card)).toBeUndefined();
    expect(await readHead(storageKey(card), 8)).toBeUndefined();
    expect((await view(resident, res.body.id, 'id-card')).status).toBe(404);
  });

  it('deletes a withdrawn case’s files at once through the deletion hook', async () => {
    const card = await upload(resident, pngFile(), 'image/png');
    const res = await submit(resident, 'unemployment-registration', [
      { type: 'id-card', uploadId: card },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    await deleteCaseFiles((await getCase(res.body.id))!);
    expect(await getUpload(card)).toBeUndefined();
    expect(await readHead(storageKey(card), 8)).toBeUndefined();
  });
});
