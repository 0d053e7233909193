// The FileStore operations (upload slot, ranged read, viewing URL, keep, delete) through the local adapter
// against the local server's file store over real HTTP: what S3 does with a presigned URL, the stand-in
// does too — it refuses another type or length, a changed or expired URL, a second write, and serves ranges.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFile } from '../../shared/ports/file-deletes.ts';
import { keepFile } from '../../shared/ports/file-keeping.ts';
import { downloadUrl, readHead } from '../../shared/ports/file-reads.ts';
import { uploadSlot } from '../../shared/ports/file-uploads.ts';
import { pdfFile, pngFile, putFile, startTestFileStore } from '../support/files.ts';

let store: Awaited<ReturnType<typeof startTestFileStore>>;
let n = 0;
const newKey = () => `uploads/U${String(++n).padStart(32, '0')}`;

beforeAll(async () => {
  store = await startTestFileStore();
});
afterAll(async () => {
  await store?.close();
});

const png = pngFile();
const slotFor = (key: string, bytes: Buffer, contentType = 'image/png', now?: Date) => uploadSlot(key, { contentType, size: bytes.length }, 300, now);
const s3Error = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];

describe('the local file store over HTTP', () => {
  it('takes a PUT to an upload slot and serves the same bytes to a viewing URL', async () => {
    const key = newKey();
    const slot = await slotFor(key, png);
    expect(slot).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/png', 'if-none-match': '*', 'x-amz-tagging': 'upload=unattached' } });
    expect((await putFile(slot, png)).status).toBe(200);

    const view = await downloadUrl(key, 60);
    const res = await fetch(view.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
  });

  it('refuses the slot for another content type, another length, a changed URL and after it expired', async () => {
    const key = newKey();
    const slot = await slotFor(key, png);
    const asJpeg = await putFile(slot, png, { 'content-type': 'image/jpeg' });
    expect(asJpeg.status).toBe(403);
    expect(await s3Error(asJpeg)).toBe('SignatureDoesNotMatch');
    const longer = await putFile(slot, Buffer.concat([png, Buffer.from([0])]));
    expect(longer.status).toBe(403);
    const otherKey = await fetch(slot.url.replace(key, newKey()), { method: 'PUT', headers: slot.headers, body: new Uint8Array(png) });
    expect(otherKey.status).toBe(403);
    const withoutTag = await fetch(slot.url, { method: 'PUT', headers: { 'content-type': 'image/png', 'if-none-match': '*' }, body: new Uint8Array(png) });
    expect(withoutTag.status).toBe(403);

    const stale = await slotFor(newKey(), png, 'image/png', new Date(Date.now() - 10 * 60_000));
    const expired = await putFile(stale, png);
    expect(expired.status).toBe(403);
    expect(await s3Error(expired)).toBe('AccessDenied');

    expect(await readHead(key, 8)).toBeUndefined();
  });

  it('writes a slot once: a second PUT, even of the same file, is refused with 412', async () => {
    const key = newKey();
    const slot = await slotFor(key, png);
    const [first, second] = await Promise.all([putFile(slot, png), putFile(slot, png)]);
    expect([first.status, second.status].sort()).toEqual([200, 412]);
    expect((await putFile(slot, png)).status).toBe(412);
  });

  it('reads only the first bytes with a ranged GET, and the whole size from Content-Range', async () => {
    const pdf = pdfFile();
    const key = newKey();
    await putFile(await slotFor(key, pdf, 'application/pdf'), pdf);

    const head = await readHead(key, 8);
    expect(head).toEqual({ head: new Uint8Array(pdf.subarray(0, 8)), size: pdf.length });

    const { url } = await downloadUrl(key, 60);
    const ranged = await fetch(url, { headers: { range: 'bytes=0-4' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-4/${pdf.length}`);
    expect(await ranged.text()).toBe('%PDF-');
    const suffix = await fetch(url, { headers: { range: 'bytes=-6' } });
    expect(await suffix.text()).toBe('%%EOF\n');
    expect((await fetch(url, { headers: { range: `bytes=${pdf.length}-` } })).status).toBe(416);
  });

  it('keeps a file by tagging it attached, and deletes it for good', async () => {
    const key = newKey();
    await putFile(await slotFor(key, png), png);
    const meta = () => JSON.parse(readFileSync(join(store.dir, 'meta', `${encodeURIComponent(key)}.json`), 'utf8')) as { tags: Record<string, string> };
    expect(meta().tags).toEqual({ upload: 'unattached' });

    expect(await keepFile(key)).toBe(true);
    expect(meta().tags).toEqual({ upload: 'attached' });

    await deleteFile(key);
    expect(await readHead(key, 8)).toBeUndefined();
    expect(await keepFile(key)).toBe(false);
    await expect(deleteFile(key)).resolves.toBeUndefined();
  });

  it('refuses a viewing URL used for another file or after it expired', async () => {
    const key = newKey();
    await putFile(await slotFor(key, png), png);
    const view = await downloadUrl(key, 60);
    expect((await fetch(view.url.replace(key, newKey()))).status).toBe(403);
    expect((await fetch(view.url, { method: 'DELETE' })).status).toBe(403);
    const old = await downloadUrl(key, 60, new Date(Date.now() - 2 * 60_000));
    expect((await fetch(old.url)).status).toBe(403);
  });
});
