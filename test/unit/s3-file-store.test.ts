// The S3 adapter of the FileStore port, checked with the AWS SDK's own S3 presigner and SigV4 signer: the
// upload URL signs content type, length, tag and write-once, expires in minutes, is the URL the SDK itself
// would make, and does not verify for a PUT of another type or length. The reads, tagging and deletes are
// checked on the exact HTTP requests they send.

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { s3Host } from '../../shared/ports/s3-file-store.ts';

const REGION = 'ap-southeast-1';
const BUCKET = 'smart-community-dev-files-123456789012-ap-southeast-1';
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
const KEY = 'uploads/U0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-12-01T02:03:04.000Z');
const PNG = { contentType: 'image/png', size: 52_311 };

type Operations = {
  uploads: typeof import('../../shared/ports/file-uploads.ts');
  reads: typeof import('../../shared/ports/file-reads.ts');
  keeping: typeof import('../../shared/ports/file-keeping.ts');
  deletes: typeof import('../../shared/ports/file-deletes.ts');
};
let ops: Operations;

beforeAll(async () => {
  // The operations choose their adapter at import, as in a Lambda: here the S3 one.
  Object.assign(process.env, {
    FILE_STORE: 's3',
    FILES_BUCKET: BUCKET,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  });
  ops = {
    uploads: await import('../../shared/ports/file-uploads.ts'),
    reads: await import('../../shared/ports/file-reads.ts'),
    keeping: await import('../../shared/ports/file-keeping.ts'),
    deletes: await import('../../shared/ports/file-deletes.ts'),
  };
});
afterEach(() => {
  vi.restoreAllMocks();
});

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);
const signingDateOf = (amzDate: string) => new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/**
 * What S3 does with a presigned request: rebuild the canonical request from the URL and the headers that
 * arrived (those named in X-Amz-SignedHeaders), sign it again with the SDK's presigner, compare signatures.
 */
async function s3Accepts(url: string, method: string, sent: Record<string, string>): Promise<boolean> {
  const u = new URL(url);
  const { 'X-Amz-Signature': given, 'X-Amz-Date': date, 'X-Amz-Expires': expires, 'X-Amz-SignedHeaders': signedHeaders, ...query } = params(url);
  for (const generated of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256']) delete query[generated];
  const names = signedHeaders!.split(';');
  const headers = Object.fromEntries(names.filter((n) => n !== 'host').map((n) => [n, sent[n] ?? '']));
  const presigner = new S3RequestPresigner({ region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
  const again = await presigner.presign(
    { method, protocol: 'https:', hostname: u.hostname, path: u.pathname, query, headers: { host: u.hostname, ...headers } },
    {
      expiresIn: Number(expires),
      signingDate: signingDateOf(date!),
      signableHeaders: new Set(names),
      unhoistableHeaders: new Set(names.filter((n) => n.startsWith('x-amz-'))),
    },
  );
  return again.query?.['X-Amz-Signature'] === given;
}

describe('S3 upload URL', () => {
  it('signs content-type, content-length, the unattached tag and write-once, and expires in five minutes', async () => {
    const slot = await ops.uploads.uploadSlot(KEY, PNG, 300, NOW);
    const url = new URL(slot.url);
    expect(url.origin).toBe(`https://${BUCKET}.s3.${REGION}.amazonaws.com`);
    expect(url.pathname).toBe(`/${KEY}`);
    expect(params(slot.url)).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${CREDENTIALS.accessKeyId}/20261201/${REGION}/s3/aws4_request`,
      'X-Amz-Date': '20261201T020304Z',
      'X-Amz-Expires': '300',
      'X-Amz-SignedHeaders': 'content-length;content-type;host;if-none-match;x-amz-tagging',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(slot.expiresAt).toBe('2026-12-01T02:08:04.000Z');
    expect(slot.headers).toEqual({ 'content-type': 'image/png', 'if-none-match': '*', 'x-amz-tagging': 'upload=unattached' });
  });

  it('is the very URL the SDK’s S3 presigner makes for that request', async () => {
    const slot = await ops.uploads.uploadSlot(KEY, PNG, 300, NOW);
    const hostname = s3Host(BUCKET, REGION);
    const headers = { 'content-type': 'image/png', 'content-length': String(PNG.size), 'if-none-match': '*', 'x-amz-tagging': 'upload=unattached' };
    const presigned = await new S3RequestPresigner({ region: REGION, credentials: CREDENTIALS, sha256: Sha256 }).presign(
      { method: 'PUT', protocol: 'https:', hostname, path: `/${KEY}`, query: {}, headers: { host: hostname, ...headers } },
      { expiresIn: 300, signingDate: NOW, signableHeaders: new Set(Object.keys(headers)), unhoistableHeaders: new Set(['if-none-match', 'x-amz-tagging']) },
    );
    expect(params(slot.url)).toEqual(presigned.query);
  });

  it('verifies for the declared file only: another content type, length or tag is refused', async () => {
    const slot = await ops.uploads.uploadSlot(KEY, PNG, 300, NOW);
    const sent = { ...slot.headers, 'content-length': String(PNG.size) };
    expect(await s3Accepts(slot.url, 'PUT', sent)).toBe(true);
    expect(await s3Accepts(slot.url, 'PUT', { ...sent, 'content-type': 'image/jpeg' })).toBe(false);
    expect(await s3Accepts(slot.url, 'PUT', { ...sent, 'content-length': String(PNG.size + 1) })).toBe(false);
    expect(await s3Accepts(slot.url, 'PUT', { ...sent, 'x-amz-tagging': 'upload=attached' })).toBe(false);
    expect(await s3Accepts(slot.url, 'GET', sent)).toBe(false);
    expect(await s3Accepts(slot.url.replace(KEY, `${KEY.slice(0, -1)}0`), 'PUT', sent)).toBe(false);
  });

  it('is checked the way the SDK signs: a URL from getSignedUrl with the same signed headers verifies alike', async () => {
    const client = new S3Client({ region: REGION, credentials: CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: KEY, ContentType: 'image/png', ContentLength: PNG.size }), {
      expiresIn: 300,
      signingDate: NOW,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    expect(await s3Accepts(url, 'PUT', { 'content-type': 'image/png', 'content-length': String(PNG.size) })).toBe(true);
    expect(await s3Accepts(url, 'PUT', { 'content-type': 'image/jpeg', 'content-length': String(PNG.size) })).toBe(false);
  });

  it('uses the AWS China domain in the Beijing and Ningxia regions', () => {
    expect(s3Host('b', 'cn-north-1')).toBe('b.s3.cn-north-1.amazonaws.com.cn');
  });
});

describe('S3 viewing URL and the functions’ own requests', () => {
  it('makes a viewing URL that is a plain presigned GET, valid for the seconds asked', async () => {
    const view = await ops.reads.downloadUrl(KEY, 60, NOW);
    expect(params(view.url)).toMatchObject({ 'X-Amz-Expires': '60', 'X-Amz-SignedHeaders': 'host' });
    expect(view.expiresAt).toBe('2026-12-01T02:04:04.000Z');
    expect(await s3Accepts(view.url, 'GET', {})).toBe(true);
    expect(await s3Accepts(view.url, 'DELETE', {})).toBe(false);
  });

  it('reads the first bytes with a Range header and the size from Content-Range, never the whole file', async () => {
    const fetched = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { status: 206, headers: { 'content-range': 'bytes 0-7/52311' } }),
    );
    const head = await ops.reads.readHead(KEY, 8);
    expect(head).toEqual({ head: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), size: 52_311 });
    const [url, init] = fetched.mock.calls[0]!;
    expect(new URL(String(url)).pathname).toBe(`/${KEY}`);
    expect(init?.method ?? 'GET').toBe('GET');
    expect(init?.headers).toEqual({ range: 'bytes=0-7' });
    expect(await s3Accepts(String(url), 'GET', {})).toBe(true);
  });

  it('takes NoSuchKey as no file, and any other S3 error as a failure with its code', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 }));
    expect(await ops.reads.readHead(KEY, 8)).toBeUndefined();
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 }));
    await expect(ops.reads.readHead(KEY, 8)).rejects.toMatchObject({ name: 'FileStoreError', status: 403, code: 'AccessDenied' });
  });

  it('tags a file attached with a signed PutObjectTagging carrying the body’s MD5', async () => {
    const fetched = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 200 }));
    expect(await ops.keeping.keepFile(KEY)).toBe(true);
    const [url, init] = fetched.mock.calls[0]!;
    const sent = init!.headers as Record<string, string>;
    expect(init!.method).toBe('PUT');
    expect(new URL(String(url)).searchParams.has('tagging')).toBe(true);
    expect(String(init!.body)).toContain('<Tag><Key>upload</Key><Value>attached</Value></Tag>');
    expect(sent['content-md5']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(params(String(url))['X-Amz-SignedHeaders']).toBe('content-md5;content-type;host');
    expect(await s3Accepts(String(url), 'PUT', sent)).toBe(true);
  });

  it('deletes with a signed DELETE, and a file already gone is deleted too', async () => {
    const fetched = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }));
    await ops.deletes.deleteFile(KEY);
    const [url, init] = fetched.mock.calls[0]!;
    expect(init!.method).toBe('DELETE');
    expect(await s3Accepts(String(url), 'DELETE', {})).toBe(true);
  });
});
