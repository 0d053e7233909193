// What Aliyun's OpenAPI gateway does to every request before the product sees it, for the local stand-ins of
// Aliyun products (SMS, identity checks): reads the body within a limit, verifies the ACS3-HMAC-SHA256
// signature with the caller's AccessKey, the content hash, the date (15 minutes either way) and the nonce (once
// only), and checks the API version. Refusals carry the gateway's documented codes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAuthorization, sha256Hex, verifyAcs3 } from '../../shared/ports/aliyun-sms-signing.ts';

const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export class AliyunApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new AliyunApiError(413, 'InvalidParameter', 'request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

export function sendJson(res: ServerResponse, status: number, body?: unknown) {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The request's parameters: the query string, and a form body if it has one (RPC APIs take either). */
export function rpcParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, string> {
  const params = Object.fromEntries(url.searchParams);
  if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  return params;
}

export type AliyunGateway = {
  /** Verifies the request as the gateway does and returns its action (x-acs-action); throws AliyunApiError. */
  authenticate(req: IncomingMessage, url: URL, body: Buffer): string;
};

export function aliyunGateway(options: { accessKeys: Record<string, string>; version: string }): AliyunGateway {
  const nonces = new Map<string, number>();
  return {
    authenticate(req, url, body) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const { authorization: header, ...sent } = headers;
      const authorization = parseAuthorization(header);
      if (authorization === null) throw new AliyunApiError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
      const secret = options.accessKeys[authorization.accessKeyId];
      if (secret === undefined) throw new AliyunApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      const query = Object.fromEntries(url.searchParams);
      const signed = sent['x-acs-content-sha256'] === sha256Hex(body) && verifyAcs3(secret, authorization, { method: req.method!, path: url.pathname, query, headers: sent, body });
      if (!signed) throw new AliyunApiError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      const date = Date.parse(sent['x-acs-date'] ?? '');
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(sent['x-acs-date'] ?? '') || Math.abs(Date.now() - date) > MAX_CLOCK_SKEW_MS) {
        throw new AliyunApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
      }
      const nonce = sent['x-acs-signature-nonce'] ?? '';
      for (const [seen, at] of nonces) if (Date.now() - at > MAX_CLOCK_SKEW_MS) nonces.delete(seen);
      if (nonce === '' || nonces.has(nonce)) throw new AliyunApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
      nonces.set(nonce, Date.now());
      if (sent['x-acs-version'] !== options.version) throw new AliyunApiError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
      return sent['x-acs-action'] ?? '';
    },
  };
}
