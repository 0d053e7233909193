// Aliyun OpenAPI V3 request signing (ACS3-HMAC-SHA256), pure node:crypto: what the 1.1 MB SDK does for one
// request, in a few dozen lines. Both sides use it: the client signs, the local stand-in verifies with the
// same documented algorithm.
//
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
//   StringToSign     = "ACS3-HMAC-SHA256" \n HexSHA256(CanonicalRequest)
//   Authorization    = ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;…>,Signature=<hex HMAC-SHA256(secret, StringToSign)>

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export type SignableRequest = {
  method: string;
  /** The path as sent, e.g. `/`; each segment is RFC 3986-encoded for the canonical URI. */
  path: string;
  query: Record<string, string>;
  /** The headers to sign, names in any case: at least host, content-type if sent, and every x-acs-* header. */
  headers: Record<string, string>;
  body: string | Uint8Array;
};

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** RFC 3986: everything but A–Z a–z 0–9 - _ . ~ is %XX of its UTF-8 bytes (space is %20, never +). */
export const percentEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function canonicalQueryString(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalRequest(request: SignableRequest): { canonical: string; signedHeaders: string } {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonical = [
    request.method.toUpperCase(),
    request.path.split('/').map((segment) => percentEncode(decodeURIComponent(segment))).join('/'),
    canonicalQueryString(request.query),
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  return { canonical, signedHeaders };
}

export function acs3Signature(accessKeySecret: string, request: SignableRequest): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest(request).canonical)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}

export function authorizationHeader(accessKeyId: string, accessKeySecret: string, request: SignableRequest): string {
  const { signedHeaders } = canonicalRequest(request);
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${acs3Signature(accessKeySecret, request)}`;
}

/** x-acs-date: UTC, to the second, `2023-10-26T10:22:32Z`. */
export const acsDate = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export type RpcCall = {
  url: URL;
  action: string;
  version: string;
  query: Record<string, string>;
  accessKeyId: string;
  accessKeySecret: string;
  now: Date;
  nonce?: string;
};

/** The headers of a signed RPC-style POST whose parameters travel in the query string and whose body is empty. */
export function signRpcCall(call: RpcCall): Record<string, string> {
  const headers: Record<string, string> = {
    host: call.url.host,
    'x-acs-action': call.action,
    'x-acs-version': call.version,
    'x-acs-date': acsDate(call.now),
    'x-acs-signature-nonce': call.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-content-sha256': sha256Hex(''),
  };
  const request: SignableRequest = { method: 'POST', path: call.url.pathname, query: call.query, headers, body: '' };
  return { ...headers, authorization: authorizationHeader(call.accessKeyId, call.accessKeySecret, request) };
}

const mustBeSigned = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

export type ParsedAuthorization = { accessKeyId: string; signedHeaders: string[]; signature: string };

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  const match = header?.match(/^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/);
  if (!match) return null;
  return { accessKeyId: match[1]!, signedHeaders: match[2]!.split(';'), signature: match[3]! };
}

/**
 * Recomputes the signature over exactly the headers the caller says it signed, and refuses a request that
 * leaves out a header it sent that must be signed (host, content-type, x-acs-*): otherwise an unsigned
 * header could be changed in transit.
 */
export function verifyAcs3(accessKeySecret: string, authorization: ParsedAuthorization, request: SignableRequest): boolean {
  const sent = Object.keys(request.headers).map((name) => name.toLowerCase());
  if (sent.filter(mustBeSigned).some((name) => !authorization.signedHeaders.includes(name))) return false;
  if (authorization.signedHeaders.some((name) => !sent.includes(name))) return false;
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => authorization.signedHeaders.includes(name.toLowerCase())));
  const expected = Buffer.from(acs3Signature(accessKeySecret, { ...request, headers }), 'hex');
  const given = Buffer.from(authorization.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
