// Alipay RSA2: the published vectors first (a notification Alipay itself signed, the answer-text extraction of
// the official Node SDK), then round trips and tampering through the adapter's parseNotification.

import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlipayProvider, type AlipayConfig } from '../../shared/ports/alipay-provider.ts';
import {
  beijingTime,
  fenOf,
  isoFromBeijingTime,
  readGatewayAnswer,
  responseKey,
  signContent,
  signGatewayAnswer,
  signNotification,
  signRequest,
  topLevelMembers,
  verifyNotification,
  verifyRequest,
  yuanOf,
} from '../../shared/ports/alipay-rsa2.ts';

// From github.com/alipay/alipay-sdk-nodejs-all, test/alipay.test.ts, "verify sign should delete sign_type":
// a trade notification signed by Alipay, and the Alipay public key (notifyAlipayPublicKeyV1) it verifies with.
const SDK_ALIPAY_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqObrdC7hrgAVM98tK0nv3hSQRGGKT4lBsQjHiGjeYZjOPIPHR5knm2jnnz/YGIXIofVHkA/tAlBAd5DrY7YpvI4tP5EONLtZKC2ghBMx7McI2wRD0xiqzxOQr1FuhZGJ8/AUokBzJrzY+aGX2xcOrxFYRlFilvVLTXg4LWjR1tdPkO6+i7wQZAIVMClPkwVRZEbaERRHlKqTzv2gGv5rDU8gRoe1LeaN+6BlbTqHWkQcNCUNrA8C6l17XAXGKDsm/9TFWwO8EPHHHCaQdjtV5/FdcWIt+L8SR1ss7EXTjYDFtxcKVv9rEoY1lX8T4mX+GbXfZHraG5NCF1+XioL5JwIDAQAB
-----END PUBLIC KEY-----`;
const SDK_NOTIFICATION: Record<string, string> = {
  gmt_create: '2019-08-15 15:56:22',
  charset: 'utf-8',
  seller_email: 'z97-yuquerevenue@service.aliyun.com',
  subject: '语雀空间 500人规模',
  sign: 'QfTb8tqE1BMhS5qAnXtvsF3/jBkEvu9q9en0pdbBUDDjvKycZhQb7h8GDs4FKfi049PynaNuatxSgLb/nLWZpXyyh0LEWdK2S6Ri7nPwrVgOs08zugLO20vOQz44y3ti2Ncm8/wZts1Fr2gZ7pShnVX3d1B50hbsXnObT1r/U8ONNQjWXd0HIul4TG+Q3fm3svmSvFEy0WnzuhcyHPX5Gm4ELNctL6Qd5YniGJFNcc7kopHYtI/XD9YCKCH6Ct02rzUs9i11C9CsadtZn+WhxF26Dqt9sGEFajkJ8cxUTLi8+VCpLHsgPE8P0y095uQcDdK0YjCh4x7wVSov+lrmOQ==',
  buyer_id: '2088102534368455',
  invoice_amount: '0.10',
  notify_id: '2019081500222155624068450559358070',
  fund_bill_list: '[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}]',
  notify_type: 'trade_status_sync',
  trade_status: 'TRADE_SUCCESS',
  receipt_amount: '0.10',
  buyer_pay_amount: '0.10',
  sign_type: 'RSA2',
  app_id: '2019073166072302',
  seller_id: '2088531891668739',
  gmt_payment: '2019-08-15 15:56:24',
  notify_time: '2019-08-15 15:56:25',
  version: '1.0',
  out_trade_no: '20190815155618536-564-57',
  total_amount: '0.10',
  trade_no: '2019081522001468450512505578',
  auth_app_id: '2019073166072302',
  buyer_logon_id: 'xud***@126.com',
  point_amount: '0.00',
};
// The same SDK's getSignStr tests: the signed text is the `_response` member exactly as sent, whitespace around
// it and a `sign` inside it included.
const SDK_ANSWER_TEXT =
  '{"code":"10000","msg":"Success","image_id":"Zp1Nm6FDTZaEuSSniGd5awAAACMAAQED","image_url":"http:\\/\\/oalipay-dl-django.alicdn.com\\/rest\\/1.0\\/image?fileIds=Zp1Nm6FDTZaEuSSniGd5awAAACMAAQED&zoom=original"}';
const SDK_SIGN = 'P8xrBWqZCUv11UrEBjhQ4Sk3hyj4607qehO2VbKIS0hWa4U+NeLlOftqTyhGv+x1lzfqN590Y/8CaNIzEEg06FiNWJlUFM/uEFJLzSKGse4MjHbblpiSzI3eCV5RzxH26wZbEd9wyVYYi0pHFBf35UrBva47g7b5EuKCHfoVA95/zin9fAyb3xhhiHhmfGaWIDV/1LmE2vtqtOHQnISbY/deC71U614ySZ3YB97ws8npCcCJ+tgZvhHPkMRGvmyYPCRDB/aIN/sKDSLtfPp0u8DxE8pHLvCHm3wR84MQxqNbKgpd8NTKNvH+obELsbCrqPhjW7qI48634qx6enDupw==';

const keyPair = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const app = keyPair();
const alipay = keyPair();
const intruder = keyPair();

const config: AlipayConfig = {
  gatewayUrl: 'https://openapi.alipay.com/gateway.do',
  appId: '2021000000000001',
  sellerId: '2088000000000001',
  appPrivateKeyPem: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  alipayPublicKeyPem: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};
const provider = new AlipayProvider(config);

const tradeFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  notify_time: '2026-12-01 10:00:06',
  notify_type: 'trade_status_sync',
  notify_id: '2026120100222100006000000000000001',
  app_id: config.appId,
  charset: 'utf-8',
  version: '1.0',
  trade_no: '2026120122001400000000000001',
  out_trade_no: 'bill-0001',
  buyer_id: '2088102177846880',
  seller_id: config.sellerId,
  trade_status: 'TRADE_SUCCESS',
  total_amount: '38.10',
  subject: '水费 2026年11月',
  gmt_create: '2026-12-01 09:59:30',
  gmt_payment: '2026-12-01 10:00:05',
  ...overrides,
});
/** The form body Alipay posts: signed fields plus sign_type, URL-encoded. */
const formBody = (fields: Record<string, string>, key = alipay.privateKey) => new URLSearchParams({ ...signNotification(fields, key), sign_type: 'RSA2' }).toString();

describe('Alipay RSA2 published vectors', () => {
  it('verifies a notification Alipay signed, with or without sign_type, and refuses it with total_amount changed', () => {
    const posted = new URLSearchParams(SDK_NOTIFICATION).toString();
    const fields = Object.fromEntries(new URLSearchParams(posted));
    expect(verifyNotification(fields, SDK_ALIPAY_PUBLIC_KEY)).toBe(true);
    const { sign_type: _signType, ...withoutSignType } = fields;
    expect(verifyNotification(withoutSignType, SDK_ALIPAY_PUBLIC_KEY)).toBe(true);
    expect(verifyNotification({ ...fields, total_amount: '100.10' }, SDK_ALIPAY_PUBLIC_KEY)).toBe(false);
    expect(verifyNotification(fields, alipay.publicKey)).toBe(false);
  });

  it("cuts the answer's signed text out exactly as sent, as the SDK's getSignStr does", () => {
    const key = 'alipay_offline_material_image_upload_response';
    const compact = `{"${key}":${SDK_ANSWER_TEXT},"sign":"${SDK_SIGN}"}`;
    const spaced = `{"${key}"\n        :\n        ${SDK_ANSWER_TEXT},\n\n          "sign"  :  "${SDK_SIGN}"}`;
    const signInside = SDK_ANSWER_TEXT.replace('"msg"', '"sign":"xxx","msg"');
    expect(topLevelMembers(compact)?.get(key)).toBe(SDK_ANSWER_TEXT);
    expect(topLevelMembers(spaced)?.get(key)).toBe(SDK_ANSWER_TEXT);
    expect(topLevelMembers(`{"${key}":${signInside},"sign":"${SDK_SIGN}"}`)?.get(key)).toBe(signInside);
    expect(topLevelMembers(compact)?.get('sign')).toBe(`"${SDK_SIGN}"`);
  });

  it('builds the string to sign as the documentation describes: sorted, empty values and sign left out, values not encoded', () => {
    // 自行实现签名: the documentation's request parameters (its biz_content shortened).
    const params = {
      app_id: '2014072300007148',
      method: 'alipay.mobile.public.menu.add',
      charset: 'GBK',
      sign_type: 'RSA2',
      timestamp: '2014-07-24 03:07:50',
      biz_content: '{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"}]}',
      version: '1.0',
      sign: 'ignored',
      notify_url: '',
    };
    expect(signContent(params)).toBe(
      'app_id=2014072300007148&biz_content={"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"}]}&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0',
    );
  });
});

describe('Alipay RSA2 round trips', () => {
  const request = { app_id: config.appId, method: 'alipay.trade.precreate', charset: 'utf-8', sign_type: 'RSA2', timestamp: '2026-12-01 10:00:00', version: '1.0', biz_content: '{"out_trade_no":"bill-0001","total_amount":"38.10"}' };

  it('a signed request verifies with the app public key; a changed amount, another key or a dropped sign_type do not', () => {
    const signed = signRequest({ ...request, notify_url: undefined }, app.privateKey);
    expect(signed).not.toHaveProperty('notify_url');
    expect(verifyRequest(signed, app.publicKey)).toBe(true);
    expect(verifyRequest({ ...signed, biz_content: signed.biz_content!.replace('38.10', '0.01') }, app.publicKey)).toBe(false);
    expect(verifyRequest(signed, intruder.publicKey)).toBe(false);
    const { sign_type: _signType, ...withoutSignType } = signed;
    expect(verifyRequest(withoutSignType, app.publicKey)).toBe(false);
    expect(verifyRequest({ ...signed, sign: 'not base64 at all' }, app.publicKey)).toBe(false);
  });

  it('a signed answer verifies over its raw member text; a changed member or error_response without sign does not', () => {
    const body = signGatewayAnswer(responseKey('alipay.trade.query'), { code: '10000', msg: 'Success', out_trade_no: 'bill-0001', trade_status: 'TRADE_SUCCESS' }, alipay.privateKey);
    expect(readGatewayAnswer(body, 'alipay.trade.query', alipay.publicKey)).toMatchObject({ verified: true, payload: { trade_status: 'TRADE_SUCCESS' } });
    expect(readGatewayAnswer(body.replace('TRADE_SUCCESS', 'TRADE_FINISHED'), 'alipay.trade.query', alipay.publicKey)?.verified).toBe(false);
    expect(readGatewayAnswer(body, 'alipay.trade.query', intruder.publicKey)?.verified).toBe(false);
    expect(readGatewayAnswer('{"error_response":{"code":"40002","sub_code":"isv.invalid-method"}}', 'alipay.trade.query', alipay.publicKey)).toEqual({ verified: false, payload: { code: '40002', sub_code: 'isv.invalid-method' } });
    expect(readGatewayAnswer('<html>502</html>', 'alipay.trade.query', alipay.publicKey)).toBeUndefined();
  });

  it('writes amounts as yuan with two decimals and reads them back as fen', () => {
    expect(yuanOf(3810)).toBe('38.10');
    expect(yuanOf(5)).toBe('0.05');
    expect(fenOf('38.10')).toBe(3810);
    expect(fenOf('38.1')).toBe(3810);
    expect(fenOf('38')).toBe(3800);
    for (const bad of ['38.101', '-1.00', '1e3', '', undefined, '38,10']) expect(fenOf(bad)).toBeUndefined();
  });

  it('writes and reads times in Beijing wall-clock time', () => {
    expect(beijingTime('2026-12-01T02:00:05Z')).toBe('2026-12-01 10:00:05');
    expect(isoFromBeijingTime('2026-12-01 10:00:05')).toBe('2026-12-01T02:00:05.000Z');
    expect(isoFromBeijingTime('2026-12-01T10:00:05')).toBeUndefined();
  });
});

describe('Alipay notifications through the adapter', () => {
  it('turns a signed TRADE_SUCCESS into a verified payment in fen', async () => {
    await expect(provider.parseNotification({}, formBody(tradeFields()))).resolves.toEqual({
      kind: 'payment',
      reference: 'bill-0001',
      providerTransactionId: '2026120122001400000000000001',
      amount: 3810,
      paidAt: '2026-12-01T02:00:05.000Z',
      merchantId: config.sellerId,
      appId: config.appId,
    });
    await expect(provider.parseNotification({}, formBody(tradeFields({ trade_status: 'TRADE_FINISHED' })))).resolves.toMatchObject({ kind: 'payment' });
  });

  it('turns a refund notification (out_biz_no, refund_fee) into a refund', async () => {
    const fields = tradeFields({ trade_status: 'TRADE_CLOSED', out_biz_no: 'refund-0001', refund_fee: '38.10', gmt_refund: '2026-12-02 10:00:00.000' });
    await expect(provider.parseNotification({}, formBody(fields))).resolves.toEqual({ kind: 'refund', reference: 'bill-0001', refundReference: 'refund-0001', amount: 3810, status: 'succeeded' });
  });

  it('rejects a changed amount, a changed body and another key', async () => {
    const genuine = formBody(tradeFields());
    await expect(provider.parseNotification({}, genuine.replace('total_amount=38.10', 'total_amount=0.01'))).resolves.toBeUndefined();
    await expect(provider.parseNotification({}, genuine.replace('out_trade_no=bill-0001', 'out_trade_no=bill-0002'))).resolves.toBeUndefined();
    await expect(provider.parseNotification({}, formBody(tradeFields(), intruder.privateKey))).resolves.toBeUndefined();
  });

  it('rejects a genuine notification for another app id or another seller id', async () => {
    await expect(provider.parseNotification({}, formBody(tradeFields({ app_id: '2021000000000002' })))).resolves.toBeUndefined();
    await expect(provider.parseNotification({}, formBody(tradeFields({ seller_id: '2088000000000002' })))).resolves.toBeUndefined();
  });

  it('ignores states that are not a payment: WAIT_BUYER_PAY and a close without refund', async () => {
    await expect(provider.parseNotification({}, formBody(tradeFields({ trade_status: 'WAIT_BUYER_PAY' })))).resolves.toBeUndefined();
    await expect(provider.parseNotification({}, formBody(tradeFields({ trade_status: 'TRADE_CLOSED' })))).resolves.toBeUndefined();
  });

  it('returns undefined, never throws, for hostile input', async () => {
    for (const body of ['', 'sign=%E0%A4%A', '%%%', 'a=1&sign=abc', formBody(tradeFields({ total_amount: 'lots' }))]) {
      await expect(provider.parseNotification({}, body)).resolves.toBeUndefined();
    }
  });

  it('acknowledges with the plain text Alipay expects', () => {
    expect(provider.acknowledge(true)).toMatchObject({ status: 200, body: 'success' });
    expect(provider.acknowledge(false)).toMatchObject({ status: 200, body: 'fail' });
  });
});
