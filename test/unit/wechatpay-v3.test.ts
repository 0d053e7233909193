// WeChat Pay APIv3 signing, verification and notification decryption: the published vectors first, then round
// trips and tampering through the adapter's parseNotification (no HTTP: notifications are built here).

import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WechatPayProvider, type WechatPayConfig } from '../../shared/ports/wechatpay-provider.ts';
import {
  authorizationHeader,
  beijingRfc3339,
  decryptResource,
  encryptResource,
  jsapiMessage,
  jsapiPayParams,
  parseAuthorization,
  requestMessage,
  responseMessage,
  signBody,
  signSha256WithRsa,
  verifySha256WithRsa,
  verifySignedBody,
} from '../../shared/ports/wechatpay-v3.ts';

// The test key of WeChat Pay's official Go SDK (github.com/wechatpay-apiv3/wechatpay-go, utils/sign_test.go and
// core/notify/notify_test.go). It is labelled TESTING KEY there, as here, so secret scanners leave it alone.
const GO_SDK_TEST_KEY = `-----BEGIN TESTING KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END TESTING KEY-----`.replaceAll('TESTING KEY', 'PRIVATE KEY');

// wechatpay-go core/notify/notify_test.go: a notification signed with that key (the certificate in the test
// carries its public key, serial D7CE59D1F522D701), at Wechatpay-Timestamp 1624523846.
const GO_SDK_NOTIFICATION = {
  timestamp: '1624523846',
  nonce: 'EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz',
  serial: 'D7CE59D1F522D701',
  signature:
    'tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXFlbYZTOQrVdG4b6LfTnK4mikv9++ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//rxELLwXvV1VEA1IBLX70xptjL8hrfUjEE8kkry6yNJTHZRU8CAc7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/jS2laKKgYUmfdEdkNO6B2Cke5e8VTxY406ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNiKRACrFmtxw2Q==',
  body:
    '{"id":"3119dfba-e649-5eec-ab1e-3412bc4d2e17","create_time":"2021-06-24T16:37:26+08:00","resource_type":"encrypt-resource","event_type":"PAYSCORE.USER_OPEN_SERVICE","summary":"签约成功",' +
    '"resource":{"original_type":"payscore","algorithm":"AEAD_AES_256_GCM","ciphertext":"YDS3lKPaC4Y52Gf3uhft5qUBlIa8b428AWTtTauHQfQrRw+X1WpiuHIDy0vo1Vd6VEq67aVyqPdDYMkRVSDaZL3iZttevRMOoPKMifozg6XPWjIZumks/GpT48lI4NizyeaqLBokNebthah3o1H76qSlO9NkDjp9bzmKLEYYH9TEklFUpsvPqOTOcgSLgh21YJXYR7dEBXFgRLiNIKRgO5JdXh1hccRUAlyVWxE54PXpnQ==","associated_data":"payscore","nonce":"Kj7QIyUiYx1q"}}',
};

const keyPair = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const merchant = keyPair();
const platform = keyPair();
const intruder = keyPair();
const API_V3_KEY = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';

const config: WechatPayConfig = {
  baseUrl: 'https://api.mch.weixin.qq.com',
  mchId: '1900000109',
  appId: 'wxd678efh567hg6787',
  merchantSerialNo: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
  merchantPrivateKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  apiV3Key: API_V3_KEY,
  platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  platformPublicKeyId: PUBLIC_KEY_ID,
};
const provider = new WechatPayProvider(config);
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

const transaction = (overrides: Record<string, unknown> = {}) => ({
  appid: config.appId,
  mchid: config.mchId,
  out_trade_no: 'bill-0001',
  transaction_id: '4200000985202103031441826014',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  success_time: '2026-12-01T10:00:05+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 3810, payer_total: 3810, currency: 'CNY', payer_currency: 'CNY' },
  ...overrides,
});

function notification(content: object, options: { eventType?: string; key?: typeof platform.privateKey; timestamp?: string; serial?: string; apiV3Key?: string } = {}) {
  const kind = options.eventType?.startsWith('REFUND.') ? 'refund' : 'transaction';
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-12-01T10:00:06+08:00',
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: encryptResource(JSON.stringify(content), options.apiV3Key ?? API_V3_KEY, kind),
  });
  const headers = signBody(body, options.key ?? platform.privateKey, options.serial ?? PUBLIC_KEY_ID, options.timestamp ?? nowSeconds());
  return { headers, body };
}

describe('WeChat Pay APIv3 published vectors', () => {
  it('signs "source" with the Go SDK test key exactly as the SDK expects (SHA256 with RSA, PKCS#1 v1.5)', () => {
    // wechatpay-go utils/sign_test.go, testAlgorithmExpectSignature.
    expect(signSha256WithRsa('source', GO_SDK_TEST_KEY)).toBe(
      'BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==',
    );
  });

  it("verifies the Go SDK's signed notification over timestamp, nonce and body lines, within its 5-minute window", () => {
    const publicKey = createPublicKey(createPrivateKey(GO_SDK_TEST_KEY));
    const { body, ...signed } = GO_SDK_NOTIFICATION;
    const at = Number(signed.timestamp);
    expect(verifySignedBody(signed, body, publicKey, signed.serial, at + 60)).toBe(true);
    expect(verifySignedBody(signed, body, publicKey, signed.serial, at + 301)).toBe(false);
    expect(verifySignedBody(signed, body.replace('签约成功', '签约失败'), publicKey, signed.serial, at)).toBe(false);
    expect(verifySignedBody(signed, body, publicKey, 'ANOTHER_SERIAL', at)).toBe(false);
  });

  it('decrypts the AEAD_AES_256_GCM vector of the official Java SDK', () => {
    // wechatpay-java core/src/test/.../cipher/AeadAesCipherTest.java with TestConfig.API_V3_KEY.
    const resource = { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=', associated_data: 'associatedData', nonce: 'uluk4a9R25RW' };
    expect(decryptResource(resource, 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb')).toBe('message');
    expect(decryptResource({ ...resource, associated_data: 'associatedDatb' }, 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb')).toBeUndefined();
    expect(encryptResource('message', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb', 'associatedData', 'uluk4a9R25RW').ciphertext).toBe(resource.ciphertext);
  });

  it('builds the request message of the documentation example (签名生成: GET /v3/certificates)', () => {
    expect(requestMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('builds the paySign message of the documentation example (JSAPI调起支付)', () => {
    expect(jsapiMessage('wx8888888888888888', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100')).toBe(
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n',
    );
  });
});

describe('WeChat Pay request signatures', () => {
  it('puts the five documented fields in the Authorization header and signs method, path with query, timestamp, nonce and body', () => {
    const body = '{"mchid":"1900000109"}';
    const header = authorizationHeader({ mchId: '1900000109', serialNo: 'SERIAL1', privateKey: merchant.privateKey, method: 'post', pathAndQuery: '/v3/pay/transactions/native', body });
    const parts = parseAuthorization(header)!;
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 mchid="1900000109",')).toBe(true);
    expect(parts).toMatchObject({ mchid: '1900000109', serial_no: 'SERIAL1' });
    expect(parts.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/);
    const signed = (b: string, path = '/v3/pay/transactions/native') => requestMessage('POST', path, parts.timestamp, parts.nonce_str, b);
    expect(verifySha256WithRsa(signed(body), parts.signature, merchant.publicKey)).toBe(true);
    expect(verifySha256WithRsa(signed('{"mchid":"1900000110"}'), parts.signature, merchant.publicKey)).toBe(false);
    expect(verifySha256WithRsa(signed(body, '/v3/pay/transactions/h5'), parts.signature, merchant.publicKey)).toBe(false);
    expect(verifySha256WithRsa(signed(body), parts.signature, intruder.publicKey)).toBe(false);
  });

  it('reads the Authorization fields in any order and refuses another scheme or a missing field', () => {
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 serial_no="S",timestamp="1",signature="x",nonce_str="n",mchid="m"')).toEqual({ mchid: 'm', nonce_str: 'n', signature: 'x', timestamp: '1', serial_no: 'S' });
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="m",nonce_str="n",timestamp="1",serial_no="S"')).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });

  it('signs JSAPI parameters so that paySign verifies with the merchant public key over appId, timeStamp, nonceStr and package', () => {
    const params = jsapiPayParams('wxd678efh567hg6787', 'wx201410272009395522657a690389285100', merchant.privateKey);
    expect(params).toMatchObject({ appId: 'wxd678efh567hg6787', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    expect(verifySha256WithRsa(jsapiMessage(params.appId!, params.timeStamp!, params.nonceStr!, params.package!), params.paySign!, merchant.publicKey)).toBe(true);
    expect(verifySha256WithRsa(jsapiMessage(params.appId!, params.timeStamp!, params.nonceStr!, 'prepay_id=wx2'), params.paySign!, merchant.publicKey)).toBe(false);
  });

  it('writes time_expire in Beijing time as RFC 3339', () => {
    expect(beijingRfc3339('2026-12-01T02:00:00.000Z')).toBe('2026-12-01T10:00:00+08:00');
    expect(beijingRfc3339('2026-12-31T20:30:00Z')).toBe('2027-01-01T04:30:00+08:00');
  });

  it('answer signatures round-trip and refuse a changed body', () => {
    const headers = signBody('{"code_url":"weixin://wxpay/bizpayurl?pr=1"}', platform.privateKey, PUBLIC_KEY_ID);
    const signed = { timestamp: headers['Wechatpay-Timestamp'], nonce: headers['Wechatpay-Nonce'], signature: headers['Wechatpay-Signature'], serial: headers['Wechatpay-Serial'] };
    expect(verifySignedBody(signed, '{"code_url":"weixin://wxpay/bizpayurl?pr=1"}', platform.publicKey, PUBLIC_KEY_ID, Date.now() / 1000)).toBe(true);
    expect(verifySignedBody(signed, '{"code_url":"weixin://wxpay/bizpayurl?pr=2"}', platform.publicKey, PUBLIC_KEY_ID, Date.now() / 1000)).toBe(false);
    expect(responseMessage('1', 'n', '')).toBe('1\nn\n\n');
  });
});

describe('WeChat Pay notifications through the adapter', () => {
  it('turns a signed, encrypted TRANSACTION.SUCCESS into a verified payment', async () => {
    const { headers, body } = notification(transaction());
    await expect(provider.parseNotification(headers, body)).resolves.toEqual({
      kind: 'payment',
      reference: 'bill-0001',
      providerTransactionId: '4200000985202103031441826014',
      amount: 3810,
      paidAt: '2026-12-01T02:00:05.000Z',
      merchantId: '1900000109',
      appId: 'wxd678efh567hg6787',
    });
  });

  it('reads headers whatever their case', async () => {
    const { headers, body } = notification(transaction());
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    await expect(provider.parseNotification(lower, body)).resolves.toMatchObject({ kind: 'payment' });
  });

  it('turns REFUND.SUCCESS into a refund', async () => {
    const refund = { mchid: config.mchId, out_trade_no: 'bill-0001', transaction_id: '4200000985202103031441826014', out_refund_no: 'refund-0001', refund_id: '50000000382019052709732678859', refund_status: 'SUCCESS', success_time: '2026-12-02T10:00:00+08:00', amount: { total: 3810, refund: 3810, payer_total: 3810, payer_refund: 3810 } };
    const { headers, body } = notification(refund, { eventType: 'REFUND.SUCCESS' });
    await expect(provider.parseNotification(headers, body)).resolves.toEqual({ kind: 'refund', reference: 'bill-0001', refundReference: 'refund-0001', providerRefundId: '50000000382019052709732678859', amount: 3810, status: 'succeeded' });
  });

  it('rejects a changed amount: the resource re-encrypted under the old signature', async () => {
    const genuine = notification(transaction());
    const forged = notification(transaction({ amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }));
    const spliced = JSON.stringify({ ...JSON.parse(genuine.body), resource: JSON.parse(forged.body).resource });
    await expect(provider.parseNotification(genuine.headers, spliced)).resolves.toBeUndefined();
  });

  it('rejects a body changed by one character', async () => {
    const { headers, body } = notification(transaction());
    await expect(provider.parseNotification(headers, body.replace('支付成功', '支付成巧'))).resolves.toBeUndefined();
  });

  it('rejects a notification signed with another key', async () => {
    const { headers, body } = notification(transaction(), { key: intruder.privateKey });
    await expect(provider.parseNotification(headers, body)).resolves.toBeUndefined();
  });

  it('rejects a timestamp more than 5 minutes old, and one as far in the future', async () => {
    const stale = notification(transaction(), { timestamp: String(Math.floor(Date.now() / 1000) - 301) });
    const ahead = notification(transaction(), { timestamp: String(Math.floor(Date.now() / 1000) + 301) });
    const recent = notification(transaction(), { timestamp: String(Math.floor(Date.now() / 1000) - 240) });
    await expect(provider.parseNotification(stale.headers, stale.body)).resolves.toBeUndefined();
    await expect(provider.parseNotification(ahead.headers, ahead.body)).resolves.toBeUndefined();
    await expect(provider.parseNotification(recent.headers, recent.body)).resolves.toMatchObject({ kind: 'payment' });
  });

  it('rejects a genuine notification for another merchant id or another app id', async () => {
    const otherMerchant = notification(transaction({ mchid: '1900000110' }));
    const otherApp = notification(transaction({ appid: 'wx0000000000000000' }));
    await expect(provider.parseNotification(otherMerchant.headers, otherMerchant.body)).resolves.toBeUndefined();
    await expect(provider.parseNotification(otherApp.headers, otherApp.body)).resolves.toBeUndefined();
  });

  it('rejects a serial other than the platform public key id, a resource under another APIv3 key, and a payment not in SUCCESS', async () => {
    const otherSerial = notification(transaction(), { serial: 'PUB_KEY_ID_OTHER' });
    const otherKey = notification(transaction(), { apiV3Key: 'b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb' });
    const notPaid = notification(transaction({ trade_state: 'NOTPAY' }));
    await expect(provider.parseNotification(otherSerial.headers, otherSerial.body)).resolves.toBeUndefined();
    await expect(provider.parseNotification(otherKey.headers, otherKey.body)).resolves.toBeUndefined();
    await expect(provider.parseNotification(notPaid.headers, notPaid.body)).resolves.toBeUndefined();
  });

  it('returns undefined, never throws, for hostile input', async () => {
    const signedGarbage = (body: string) => ({ headers: signBody(body, platform.privateKey, PUBLIC_KEY_ID), body });
    for (const { headers, body } of [signedGarbage('not json'), signedGarbage('{"resource":42}'), signedGarbage('{"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"@@","nonce":""}}')]) {
      await expect(provider.parseNotification(headers, body)).resolves.toBeUndefined();
    }
    await expect(provider.parseNotification({}, '')).resolves.toBeUndefined();
    await expect(provider.parseNotification({ 'Wechatpay-Timestamp': 'x'.repeat(10_000) }, '{}')).resolves.toBeUndefined();
  });

  it('acknowledges with 200 and an empty body, and refuses with 401 and the documented FAIL JSON', () => {
    expect(provider.acknowledge(true)).toEqual({ status: 200, headers: {}, body: '' });
    const refusal = provider.acknowledge(false);
    expect(refusal.status).toBe(401);
    expect(JSON.parse(refusal.body)).toMatchObject({ code: 'FAIL' });
  });
});
