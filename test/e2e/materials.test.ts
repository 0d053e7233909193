// Materials as real files over HTTP on the real local platform (`npm start`): a client uploads real files
// with fetch PUT to the URL POST /uploads gave, the review checks them, the owner and the case's centre's
// staff open them, nobody else can, and an upload never attached is swept after 24 hours (the platform is
// stopped, the upload aged in its DynamoDB Local, and started again).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { LOCAL_TABLE_NAME } from '../../infra/local/server.ts';
import { uploadKeys } from '../../shared/data/keys.ts';
import { storageKey } from '../../shared/domain/uploads.ts';
import { idNumberFor } from '../support/appointment-fixtures.ts';
import { pdfFile, pngFile, putFile, textFile } from '../support/files.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const PROFILE = { name: '赵敏', idNumber: idNumberFor(971), phone: '13800138222', community: 'sunshine-garden' };
const OTHER_PROFILE = { name: '钱进', idNumber: idNumberFor(972), phone: '13800138223', community: 'sunshine-garden' };

describe('materials as files over HTTP', () => {
  type Who = 'resident' | 'other' | 'clerk' | 'farClerk';
  let server: RunningServer;
  let tokens: Record<Who, string>;
  let resident: ReturnType<typeof client>;
  let other: ReturnType<typeof client>;

  const connect = async (url: string) => {
    tokens = {
      resident: await tokenFor(url, 'e2e-files-resident', 'resident'),
      other: await tokenFor(url, 'e2e-files-other', 'resident'),
      clerk: await tokenFor(url, 'e2e-files-clerk', 'staff', { categories: ['employment'] }),
      farClerk: await tokenFor(url, 'e2e-files-far', 'staff', { categories: ['employment'], centre: 'balizhuang' }),
    };
    resident = client(url, tokens.resident);
    other = client(url, tokens.other);
  };

  beforeAll(async () => {
    server = await startServer();
    await connect(server.url);
    expect((await resident.put('/me', PROFILE)).status).toBe(200);
    expect((await other.put('/me', OTHER_PROFILE)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** POST /uploads and, unless told otherwise, the PUT of the bytes with exactly the headers given. */
  async function upload(as: ReturnType<typeof client>, bytes: Buffer, contentType: string, put = true) {
    const slot = await as.post('/uploads', { fileName: 'photo', contentType, size: bytes.length });
    expect(slot.status, JSON.stringify(slot.body)).toBe(201);
    if (put) expect((await putFile(slot.body, bytes)).status).toBe(200);
    return slot.body as { uploadId: string; url: string; headers: Record<string, string> };
  }

  const submit = (materials: unknown[]) => resident.post('/cases', { matter: 'unemployment-registration', materials });
  const reviewed = (id: string, status: string) =>
    vi.waitFor(
      async () => {
        const res = await resident.get(`/cases/${id}`);
        if (res.body.status !== status) throw new Error(res.body.status);
        return res.body;
      },
      { timeout: 20_000, interval: 100 },
    );
  /** GET /cases/{id}/materials/{type} without following the redirect, to see the 302 itself. */
  const open = (who: Who, id: string, type: string) =>
    fetch(`${server.url}/cases/${id}/materials/${type}`, { headers: { authorization: `Bearer ${tokens[who]}` }, redirect: 'manual' });

  let caseId: string;
  const png = pngFile();
  const pdf = pdfFile();

  it('takes a real PNG and PDF PUT to their upload URLs, and the case goes in_review', async () => {
    const card = await upload(resident, png, 'image/png');
    const proof = await upload(resident, pdf, 'application/pdf');
    const res = await submit([
      { type: 'id-card', uploadId: card.uploadId },
      { type: 'termination-proof', uploadId: proof.uploadId },
    ]);
    expect(res.status).toBe(201);
    caseId = res.body.id;
    const c = await reviewed(caseId, 'in_review');
    expect(c.materials).toEqual([
      { type: 'id-card', uploadId: card.uploadId, verified: true },
      { type: 'termination-proof', uploadId: proof.uploadId, verified: true },
    ]);
  });

  it('returns a text file renamed .png as wrong_file_type, and an upload never PUT as upload_missing', async () => {
    const renamed = await upload(resident, textFile(), 'image/png');
    const neverSent = await upload(resident, pdf, 'application/pdf', false);
    const res = await submit([
      { type: 'id-card', uploadId: renamed.uploadId },
      { type: 'termination-proof', uploadId: neverSent.uploadId },
    ]);
    const c = await reviewed(res.body.id, 'returned');
    expect(c.materialProblems).toEqual([
      { type: 'id-card', problem: 'wrong_file_type' },
      { type: 'termination-proof', problem: 'upload_missing' },
    ]);
    expect(c.missingMaterials).toEqual(['id-card', 'termination-proof']);
  });

  it('refuses another resident’s uploadId with 400 at the field', async () => {
    const theirs = await upload(other, png, 'image/png');
    const res = await submit([
      { type: 'id-card', uploadId: theirs.uploadId },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['materials.0.uploadId']);
  });

  it('refuses an upload URL used with another content type or another length', async () => {
    const slot = await upload(resident, png, 'image/png', false);
    expect((await putFile(slot, png, { 'content-type': 'image/jpeg' })).status).toBe(403);
    expect((await putFile(slot, Buffer.concat([png, png]))).status).toBe(403);
    expect((await putFile(slot, png.subarray(1))).status).toBe(403);
    expect((await putFile(slot, png)).status).toBe(200);
  });

  describe('viewing', () => {
    it('sends the owner and the centre’s staff with 302 to the bytes', async () => {
      for (const who of ['resident', 'clerk'] as const) {
        const res = await open(who, caseId, 'id-card');
        expect(res.status).toBe(302);
        const file = await fetch(res.headers.get('location')!);
        expect(file.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
      }
      const proof = await fetch((await open('clerk', caseId, 'termination-proof')).headers.get('location')!);
      expect(Buffer.from(await proof.arrayBuffer())).toEqual(pdf);
    });

    it('answers 404 to other residents and to another centre’s staff', async () => {
      expect((await open('other', caseId, 'id-card')).status).toBe(404);
      expect((await open('farClerk', caseId, 'id-card')).status).toBe(404);
    });

    it('shows the staff member’s view in the case’s history', async () => {
      const { history } = (await resident.get(`/cases/${caseId}`)).body as { history: { actor: string; material?: string; note?: string }[] };
      expect(history.filter((h) => h.material)).toEqual([
        expect.objectContaining({ actor: '就业服务窗口', material: 'id-card', note: '查看材料：居民身份证' }),
        expect.objectContaining({ actor: '就业服务窗口', material: 'termination-proof' }),
      ]);
    });
  });

  it('sweeps an upload never attached once it is 24 hours old, and keeps the files of cases across the restart', async () => {
    const forgotten = await upload(resident, png, 'image/png');
    const fileOnDisk = join(server.dataDir, 'files', 'data', encodeURIComponent(storageKey(forgotten.uploadId)));
    expect(existsSync(fileOnDisk)).toBe(true);

    // The platform keeps everything in DATA_DIR: stop it, age the upload by 25 hours there, start it again.
    await server.stop();
    const dynamo = await startDynamoDbLocal(join(server.dataDir, 'dynamodb'));
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint }));
    const createdAt = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await db.send(
      new UpdateCommand({
        TableName: LOCAL_TABLE_NAME,
        Key: uploadKeys.item(forgotten.uploadId),
        UpdateExpression: 'SET createdAt = :at, gsi2sk = :order',
        ExpressionAttributeValues: { ':at': createdAt, ':order': uploadKeys.order(createdAt, forgotten.uploadId) },
      }),
    );
    db.destroy();
    await dynamo.stop();
    server = await startServer(server.dataDir);
    await connect(server.url);

    await vi.waitFor(() => expect(existsSync(fileOnDisk)).toBe(false), { timeout: 30_000, interval: 250 });
    const late = await submit([
      { type: 'id-card', uploadId: forgotten.uploadId },
      { type: 'termination-proof', ref: 'oss://proof.pdf' },
    ]);
    expect(late.status).toBe(400);
    expect(late.body.errors[0].path).toBe('materials.0.uploadId');

    const kept = await fetch((await open('resident', caseId, 'id-card')).headers.get('location')!);
    expect(Buffer.from(await kept.arrayBuffer())).toEqual(png);
  }, 180_000);
});
