// Local adapter of the FileStore port: URLs of the local server's file store (infra/local/file-server.ts),
// signed with an HMAC key kept in DATA_DIR. Like a presigned S3 URL, the signature covers the method, the
// object, the parameters, the expiry and the exact values of the named headers, so the local server refuses
// a PUT of another type or length, a changed URL, and an expired one. The server verifies with
// `verifyLocalSignature` below: one definition of the scheme for both sides.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { expiresAt, type FileMethod, type FileStore } from './file-store.ts';

/** Where the local server answers file URLs. */
export const LOCAL_FILES_PATH = '/_local/files/';

export type LocalFileStoreConfig = { baseUrl: string; key: string };

type Signed = { method: string; key: string; query: Record<string, string>; headers: Record<string, string> };

/** method, key, every parameter but the signature (sorted), then each signed header as name:value (sorted). */
function signature(secret: string, { method, key, query, headers }: Signed): string {
  const params = Object.keys(query)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${query[name]}`);
  const lines = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${headers[name]!.trim()}`);
  return createHmac('sha256', secret).update([method, key, params.join('&'), ...lines].join('\n')).digest('hex');
}

/**
 * `config` is read on first use: the local server knows its own URL only once it listens, and it starts
 * after the functions' modules may have been imported.
 */
export function localFileStore(config: () => LocalFileStoreConfig): FileStore {
  let resolved: LocalFileStoreConfig | undefined;
  return {
    async sign({ method, key, query = {}, headers = {}, expiresInSeconds }, now = new Date()) {
      resolved ??= config();
      const named = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
      const params = {
        ...query,
        expires: String(Math.floor(now.getTime() / 1000) + expiresInSeconds),
        headers: Object.keys(named).sort().join(';'),
      };
      const signed = { ...params, signature: signature(resolved.key, { method, key, query: params, headers: named }) };
      return {
        url: `${resolved.baseUrl.replace(/\/$/, '')}/${key}?${new URLSearchParams(signed)}`,
        expiresAt: expiresAt(now, expiresInSeconds),
      };
    },
  };
}

export type LocalVerdict = 'valid' | 'expired' | 'mismatch';

/** Checks a request the local server received against its URL's signature. */
export function verifyLocalSignature(
  secret: string,
  request: { method: FileMethod | string; key: string; query: URLSearchParams; header: (name: string) => string | undefined },
  now = new Date(),
): LocalVerdict {
  const query = Object.fromEntries(request.query);
  const given = query.signature;
  const expires = Number(query.expires);
  if (!given || !Number.isInteger(expires) || query.headers === undefined) return 'mismatch';
  const names = query.headers === '' ? [] : query.headers.split(';');
  const headers = Object.fromEntries(names.map((name) => [name, request.header(name) ?? '']));
  const expected = Buffer.from(signature(secret, { method: request.method, key: request.key, query, headers }), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'mismatch';
  return expires * 1000 < now.getTime() ? 'expired' : 'valid';
}
