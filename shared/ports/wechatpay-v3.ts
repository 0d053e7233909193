// WeChat Pay APIv3 signatures and notification encryption, as documented (pay.weixin.qq.com, 签名生成 /
// 签名验证 / 回调报文解密 / JSAPI调起支付): SHA256 with RSA (PKCS#1 v1.5) over newline-terminated lines, the
// WECHATPAY2-SHA256-RSA2048 Authorization header, the Wechatpay-* answer headers, and AEAD_AES_256_GCM with the
// 32-byte APIv3 key. Both the adapter and the local sandbox use these, so each function is the one rule it
// names; verifiers return false instead of throwing, since their input comes from the network.

import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';

export const WECHATPAY_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat Pay refuses requests, and merchants must refuse answers and notifications, signed longer ago than this. */
export const SIGNATURE_WINDOW_SECONDS = 300;
const GCM_TAG_BYTES = 16;

export type PrivateKeyInput = string | KeyObject;
export type PublicKeyInput = string | KeyObject;

export const privateKeyOf = (key: PrivateKeyInput): KeyObject => (typeof key === 'string' ? createPrivateKey(key) : key);
export const publicKeyOf = (key: PublicKeyInput): KeyObject => (typeof key === 'string' ? createPublicKey(key) : key);

/** 32 characters of [0-9A-Za-z]: the nonce_str / nonceStr form the documentation uses. */
export function nonceString(length = 32): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

export const unixSeconds = (ms = Date.now()) => String(Math.floor(ms / 1000));

/** Every signed message is lines each ending in \n, the last one included. */
const lines = (...parts: string[]) => parts.map((part) => `${part}\n`).join('');

/** The request message: method, the URL path with its query, timestamp, nonce, body ('' for GET). */
export const requestMessage = (method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string) =>
  lines(method.toUpperCase(), pathAndQuery, timestamp, nonce, body);

/** The message of an answer or a notification: timestamp, nonce, body. */
export const responseMessage = (timestamp: string, nonce: string, body: string) => lines(timestamp, nonce, body);

/** The JSAPI paySign message: appId, timeStamp, nonceStr, package. */
export const jsapiMessage = (appId: string, timeStamp: string, nonceStr: string, pkg: string) => lines(appId, timeStamp, nonceStr, pkg);

export function signSha256WithRsa(message: string, privateKey: PrivateKeyInput): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyOf(privateKey), 'base64');
}

export function verifySha256WithRsa(message: string, signature: string, publicKey: PublicKeyInput): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKeyOf(publicKey), signature, 'base64');
  } catch {
    return false;
  }
}

export type AuthorizationParts = { mchid: string; nonce_str: string; signature: string; timestamp: string; serial_no: string };

export type RequestToSign = {
  mchId: string;
  serialNo: string;
  privateKey: PrivateKeyInput;
  method: string;
  /** The URL without scheme and host, query string included: exactly what is sent. */
  pathAndQuery: string;
  body: string;
  timestamp?: string;
  nonce?: string;
};

export function authorizationHeader(request: RequestToSign): string {
  const timestamp = request.timestamp ?? unixSeconds();
  const nonce = request.nonce ?? nonceString();
  const signature = signSha256WithRsa(requestMessage(request.method, request.pathAndQuery, timestamp, nonce, request.body), request.privateKey);
  return `${WECHATPAY_SCHEMA} mchid="${request.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${request.serialNo}"`;
}

/** The five fields of an Authorization header, in any order as the documentation allows; undefined if malformed. */
export function parseAuthorization(header: string | undefined): AuthorizationParts | undefined {
  if (!header?.startsWith(`${WECHATPAY_SCHEMA} `)) return undefined;
  const fields = new Map<string, string>();
  for (const match of header.slice(WECHATPAY_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields.set(match[1]!, match[2]!);
  const [mchid, nonce_str, signature, timestamp, serial_no] = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'].map((name) => fields.get(name));
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

export const withinWindow = (timestamp: string, nowSeconds: number) =>
  /^\d{1,12}$/.test(timestamp) && Math.abs(nowSeconds - Number(timestamp)) <= SIGNATURE_WINDOW_SECONDS;

export type SignedHeaders = { timestamp?: string; nonce?: string; signature?: string; serial?: string };

/**
 * An answer's or a notification's Wechatpay-* headers: the serial must name the key we hold (WeChat Pay signs
 * with the key the serial names, and probes merchants with deliberately wrong signatures), the timestamp must
 * be within 5 minutes, and the signature must verify over the exact body bytes.
 */
export function verifySignedBody(headers: SignedHeaders, body: string, publicKey: PublicKeyInput, expectedSerial: string, nowSeconds: number): boolean {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || serial !== expectedSerial) return false;
  if (!withinWindow(timestamp, nowSeconds)) return false;
  return verifySha256WithRsa(responseMessage(timestamp, nonce, body), signature, publicKey);
}

/** The Wechatpay-* headers WeChat Pay puts on an answer or a notification (the sandbox's side). */
export function signBody(body: string, privateKey: PrivateKeyInput, serial: string, timestamp = unixSeconds(), nonce = nonceString()): Record<string, string> {
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256WithRsa(responseMessage(timestamp, nonce, body), privateKey),
    'Wechatpay-Serial': serial,
  };
}

export type EncryptedResource = { algorithm: string; ciphertext: string; associated_data?: string; nonce: string; original_type?: string };

function aes256Key(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('The APIv3 key must be 32 bytes');
  return key;
}

/** Decrypts a notification's `resource`: base64 ciphertext with its 16-byte tag appended. Undefined if it does not authenticate. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string | undefined {
  try {
    if (resource.algorithm !== 'AEAD_AES_256_GCM') return undefined;
    const sealed = Buffer.from(resource.ciphertext, 'base64');
    if (sealed.length < GCM_TAG_BYTES) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', aes256Key(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The sandbox's side of decryptResource: a 12-character nonce, as WeChat Pay sends. */
export function encryptResource(plaintext: string, apiV3Key: string, associatedData: string, nonce = nonceString(12)): EncryptedResource {
  const cipher = createCipheriv('aes-256-gcm', aes256Key(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: associatedData, nonce, original_type: associatedData };
}

/** The parameters a WeChat page passes to getBrandWCPayRequest for a JSAPI order. */
export function jsapiPayParams(appId: string, prepayId: string, privateKey: PrivateKeyInput, timeStamp = unixSeconds(), nonceStr = nonceString()): Record<string, string> {
  const pkg = `prepay_id=${prepayId}`;
  return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: signSha256WithRsa(jsapiMessage(appId, timeStamp, nonceStr, pkg), privateKey) };
}

/** WeChat Pay's times are RFC 3339 in Beijing time: 2026-12-01T10:00:00+08:00. */
export function beijingRfc3339(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
