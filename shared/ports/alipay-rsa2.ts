// Alipay openapi RSA2 signatures and the wire formats they cover, as documented (opendocs.alipay.com, 自行实现签名
// / 自行实现验签 / 异步通知验签): SHA256withRSA over the `k=v&…` string of every non-empty parameter sorted by
// name, `sign` left out (and `sign_type` too when verifying a notification); an answer is verified over the raw
// JSON text of its `<method>_response` member, exactly as it came, so it is cut out of the body rather than
// re-serialised. Amounts are yuan strings with two decimals and times Beijing wall-clock `yyyy-MM-dd HH:mm:ss`.
// Shared by the adapter and the local sandbox; verifiers return false instead of throwing.

import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export type KeyInput = string | KeyObject;
export type Params = Record<string, string | undefined>;

const privateKeyOf = (key: KeyInput): KeyObject => (typeof key === 'string' ? createPrivateKey(key) : key);
const publicKeyOf = (key: KeyInput): KeyObject => (typeof key === 'string' ? createPublicKey(key) : key);

/** The string to sign: non-empty parameters except `excluded`, sorted by name (code unit order), values as they are. */
export function signContent(params: Params, excluded: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((name) => !excluded.includes(name) && params[name] !== undefined && params[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

export function rsa2Sign(content: string, privateKey: KeyInput): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyOf(privateKey), 'base64');
}

export function rsa2Verify(content: string, signature: string | undefined, publicKey: KeyInput): boolean {
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyOf(publicKey), signature, 'base64');
  } catch {
    return false;
  }
}

/** A request's parameters with `sign` added: `sign_type` is itself signed in requests. */
export function signRequest(params: Params, privateKey: KeyInput): Record<string, string> {
  const present = Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  return { ...present, sign: rsa2Sign(signContent(present), privateKey) };
}

/** A request as the gateway checks it. */
export const verifyRequest = (params: Params, publicKey: KeyInput) => rsa2Verify(signContent(params), params.sign, publicKey);

/** An asynchronous notification (form fields, already URL-decoded): `sign` and `sign_type` are not signed. */
export const verifyNotification = (fields: Params, publicKey: KeyInput) => rsa2Verify(signContent(fields, ['sign', 'sign_type']), fields.sign, publicKey);

/** The sandbox's side of verifyNotification. */
export function signNotification(fields: Record<string, string>, privateKey: KeyInput): Record<string, string> {
  return { ...fields, sign: rsa2Sign(signContent(fields, ['sign', 'sign_type']), privateKey) };
}

/** alipay.trade.query → alipay_trade_query_response. */
export const responseKey = (method: string) => `${method.replaceAll('.', '_')}_response`;

function skipSpace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at]!)) at += 1;
  return at;
}

function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

function endOfValue(text: string, at: number): number {
  if (text[at] === '"') return endOfString(text, at);
  if (text[at] !== '{' && text[at] !== '[') {
    let i = at;
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i += 1;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The raw text of each top-level member of a JSON object, as sent; undefined if the text is not one object. */
export function topLevelMembers(text: string): Map<string, string> | undefined {
  const members = new Map<string, string>();
  let at = skipSpace(text, 0);
  if (text[at] !== '{') return undefined;
  at = skipSpace(text, at + 1);
  if (text[at] === '}') return members;
  for (;;) {
    if (text[at] !== '"') return undefined;
    const keyEnd = endOfString(text, at);
    if (keyEnd < 0) return undefined;
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipSpace(text, keyEnd);
    if (text[at] !== ':') return undefined;
    at = skipSpace(text, at + 1);
    const valueEnd = endOfValue(text, at);
    if (valueEnd < 0) return undefined;
    members.set(key, text.slice(at, valueEnd));
    at = skipSpace(text, valueEnd);
    if (text[at] === '}') return members;
    if (text[at] !== ',') return undefined;
    at = skipSpace(text, at + 1);
  }
}

export type GatewayAnswer = { payload: Record<string, unknown>; verified: boolean };

/**
 * A gateway answer: the `<method>_response` member (or `error_response`, which the gateway uses when it cannot
 * tell the method) and whether `sign` verifies over its raw text. Undefined when the body is not an answer.
 */
export function readGatewayAnswer(body: string, method: string, publicKey: KeyInput): GatewayAnswer | undefined {
  try {
    const members = topLevelMembers(body);
    const raw = members?.get(responseKey(method)) ?? members?.get('error_response');
    if (!members || raw === undefined) return undefined;
    const payload: unknown = JSON.parse(raw);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    const signMember = members.get('sign');
    const sign = signMember === undefined ? undefined : (JSON.parse(signMember) as unknown);
    return { payload: payload as Record<string, unknown>, verified: typeof sign === 'string' && rsa2Verify(raw, sign, publicKey) };
  } catch {
    return undefined;
  }
}

/** The sandbox's side of readGatewayAnswer. */
export function signGatewayAnswer(key: string, payload: object, privateKey: KeyInput): string {
  const raw = JSON.stringify(payload);
  return `{${JSON.stringify(key)}:${raw},"sign":${JSON.stringify(rsa2Sign(raw, privateKey))}}`;
}

/** 3810 → "38.10". */
export function yuanOf(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** "38.10" (or "38.1", "38") → 3810; undefined for anything else. */
export function fenOf(yuan: string | undefined): number | undefined {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(yuan ?? '');
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Beijing wall-clock time as Alipay writes it: 2026-12-01 10:00:00. */
export function beijingTime(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** An Alipay time back to ISO 8601 UTC; undefined if it is not one. */
export function isoFromBeijingTime(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
