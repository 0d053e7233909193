// The local server's file store, standing in for the S3 bucket under `npm start`: it answers the URLs of
// shared/ports/local-file-store.ts over real HTTP, with the part of S3's REST object API the platform uses —
// PUT (write-once with `if-none-match: *`, tags from `x-amz-tagging`), GET with a byte range, PUT ?tagging,
// DELETE — and S3's status codes and XML errors. A request is refused unless its signature holds for exactly
// what was sent: another content type or length, a changed URL or an expired one is 403, as S3 does.
// Bytes live under DATA_DIR/files (data/ and meta/), so a restart keeps them. Mount `handle` in a server
// under LOCAL_FILES_PATH, or run it on its own port with startFileServer (integration tests).

import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LOCAL_FILES_PATH, verifyLocalSignature } from '../../shared/ports/local-file-store.ts';
import { MAX_FILE_BYTES } from '../../shared/domain/uploads.ts';

type Meta = { contentType: string; size: number; etag: string; createdAt: string; tags: Record<string, string> };

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.-]+)*$/;
/** A tagging document is a few hundred bytes; anything near this is not one. */
const MAX_TAGGING_BYTES = 16 * 1024;

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, error: S3Error) {
  res.writeHead(error.status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`);
}

/** Reads at most `limit` bytes; more is an error (the rest is drained so the client reads the answer). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
  return Buffer.concat(chunks);
}

/** `Range: bytes=a-b`, `bytes=a-`, `bytes=-n` (one range, as S3); undefined for no or an unreadable range. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return start > end ? undefined : { start, end };
}

function parseTagging(xml: string): Record<string, string> {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<Tagging[\s>]/.test(xml)) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  return Object.fromEntries([...xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)].map((m) => [m[1]!, m[2]!]));
}

const tagsOf = (header: string | undefined) => Object.fromEntries(new URLSearchParams(header ?? ''));

export type FileServer = { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> };

export function fileServer(options: { dir: string; key: string; now?: () => Date }): FileServer {
  const now = options.now ?? (() => new Date());
  const dataDir = join(options.dir, 'data');
  const metaDir = join(options.dir, 'meta');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(metaDir, { recursive: true });
  const dataFile = (key: string) => join(dataDir, encodeURIComponent(key));
  const metaFile = (key: string) => join(metaDir, `${encodeURIComponent(key)}.json`);
  const readMeta = (key: string): Meta | undefined =>
    existsSync(metaFile(key)) && existsSync(dataFile(key)) ? (JSON.parse(readFileSync(metaFile(key), 'utf8')) as Meta) : undefined;
  const noSuchKey = () => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');

  async function put(req: IncomingMessage, res: ServerResponse, key: string) {
    const declared = Number(req.headers['content-length']);
    if (!Number.isInteger(declared) || declared < 0) throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    if (declared > MAX_FILE_BYTES) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    const body = await readBody(req, declared);
    if (body.byteLength !== declared) throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    const meta: Meta = {
      contentType: req.headers['content-type'] ?? 'application/octet-stream',
      size: body.byteLength,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      createdAt: now().toISOString(),
      tags: tagsOf(req.headers['x-amz-tagging'] as string | undefined),
    };
    const suffix = `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(dataFile(key) + suffix, body);
    writeFileSync(metaFile(key) + suffix, JSON.stringify(meta));
    if (req.headers['if-none-match'] === '*') {
      // link() fails if the name exists: of two writers of one write-once key exactly one wins.
      try {
        linkSync(metaFile(key) + suffix, metaFile(key));
      } catch {
        rmSync(dataFile(key) + suffix, { force: true });
        rmSync(metaFile(key) + suffix, { force: true });
        throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      }
      rmSync(metaFile(key) + suffix);
    } else {
      renameSync(metaFile(key) + suffix, metaFile(key));
    }
    renameSync(dataFile(key) + suffix, dataFile(key));
    res.writeHead(200, { etag: meta.etag });
    res.end();
  }

  async function putTagging(req: IncomingMessage, res: ServerResponse, key: string) {
    const body = await readBody(req, MAX_TAGGING_BYTES);
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    const tags = parseTagging(body.toString('utf8'));
    const meta = readMeta(key);
    if (!meta) throw noSuchKey();
    writeFileSync(`${metaFile(key)}.tmp`, JSON.stringify({ ...meta, tags }));
    renameSync(`${metaFile(key)}.tmp`, metaFile(key));
    res.writeHead(200);
    res.end();
  }

  function get(req: IncomingMessage, res: ServerResponse, key: string) {
    const meta = readMeta(key);
    if (!meta) throw noSuchKey();
    const size = statSync(dataFile(key)).size;
    const range = byteRange(req.headers.range, size);
    const common = {
      'content-type': meta.contentType,
      etag: meta.etag,
      'last-modified': new Date(meta.createdAt).toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-tagging-count': String(Object.keys(meta.tags).length),
    };
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-type': 'application/xml', 'content-range': `bytes */${size}` });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>');
      return;
    }
    if (!range) {
      res.writeHead(200, { ...common, 'content-length': String(size) });
      createReadStream(dataFile(key)).pipe(res);
      return;
    }
    res.writeHead(206, { ...common, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${size}` });
    createReadStream(dataFile(key), range).pipe(res);
  }

  function remove(res: ServerResponse, key: string) {
    rmSync(metaFile(key), { force: true });
    rmSync(dataFile(key), { force: true });
    res.writeHead(204);
    res.end();
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL) {
    const key = decodeURIComponent(url.pathname.slice(LOCAL_FILES_PATH.length));
    if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) throw new S3Error(400, 'InvalidURI', 'Could not parse the specified URI.');
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const verdict = verifyLocalSignature(options.key, { method: req.method ?? 'GET', key, query: url.searchParams, header }, now());
    if (verdict === 'expired') throw new S3Error(403, 'AccessDenied', 'Request has expired');
    if (verdict !== 'valid') throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    const method = req.method;
    if (method === 'PUT' && url.searchParams.has('tagging')) return putTagging(req, res, key);
    if (method === 'PUT') return put(req, res, key);
    if (method === 'GET') return get(req, res, key);
    if (method === 'DELETE') return remove(res, key);
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  return {
    async handle(req, res, url) {
      if (!url.pathname.startsWith(LOCAL_FILES_PATH)) return false;
      try {
        await serve(req, res, url);
      } catch (error) {
        if (!(error instanceof S3Error)) throw error;
        // What was not read of a refused upload is drained, so the client reads the answer instead of a reset.
        req.resume();
        sendError(res, error);
      }
      return true;
    },
  };
}

export type StandaloneFileServer = {
  /** The base URL for LOCAL_FILES_URL. */
  url: string;
  close: () => Promise<void>;
};

export async function startFileServer(options: { port: number; dir: string; key: string; now?: () => Date }): Promise<StandaloneFileServer> {
  const files = fileServer(options);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    files
      .handle(req, res, url)
      .then((handled) => {
        if (!handled) sendError(res, new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'));
      })
      .catch(() => {
        if (!res.headersSent) sendError(res, new S3Error(500, 'InternalError', 'We encountered an internal error.'));
        else res.end();
      });
  });
  await new Promise<void>((done) => server.listen(options.port, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${LOCAL_FILES_PATH.replace(/\/$/, '')}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
