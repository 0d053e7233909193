import { describe, expect, it } from 'vitest';
import {
  acs3Signature,
  authorizationHeader,
  canonicalQueryString,
  parseAuthorization,
  percentEncode,
  sha256Hex,
  signRpcCall,
  verifyAcs3,
  type SignableRequest,
} from '../../shared/ports/aliyun-sms-signing.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Aliyun's published V3 example ("V3版本请求体&签名机制", help.aliyun.com/document_detail/2593177): RunInstances
// on ecs.cn-shanghai with AccessKey YourAccessKeyId / YourAccessKeySecret, an empty body, its fixed date and nonce.
const runInstances = (date: string, nonce: string): SignableRequest => ({
  method: 'POST',
  path: '/',
  query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
  headers: {
    host: 'ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action': 'RunInstances',
    'x-acs-version': '2014-05-26',
    'x-acs-date': date,
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': EMPTY_SHA256,
  },
  body: '',
});

describe('ACS3-HMAC-SHA256 signing', () => {
  it("reproduces the signature of Aliyun's published V3 example", () => {
    expect(acs3Signature('YourAccessKeySecret', runInstances('2023-10-26T10:22:32Z', '3156853299f313e23d1673dc12e1703d'))).toBe(
      '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('reproduces the second published example (the ROA page, same request at 09:01:01 with its own nonce)', () => {
    expect(
      authorizationHeader('YourAccessKeyId', 'YourAccessKeySecret', runInstances('2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0')),
    ).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804',
    );
  });

  it('encodes the query as RFC 3986, sorted by name: space %20, * %2A, ~ kept, Chinese as UTF-8 bytes', () => {
    expect(percentEncode("a b*~!'()")).toBe('a%20b%2A~%21%27%28%29');
    expect(canonicalQueryString({ TemplateParam: '{"matter":"退休"}', BizId: '9006^0', A: '' })).toBe(
      'A=&BizId=9006%5E0&TemplateParam=%7B%22matter%22%3A%22%E9%80%80%E4%BC%91%22%7D',
    );
    expect(sha256Hex('')).toBe(EMPTY_SHA256);
  });

  it('signs an RPC call with every header the verifier requires, and the verifier accepts it', () => {
    const url = new URL('http://127.0.0.1:4010/_sandbox/aliyun-sms/');
    const query = { PhoneNumbers: '13800138000', TemplateParam: '{"matter":"退休申请"}' };
    const headers = signRpcCall({ url, action: 'SendSms', version: '2017-05-25', query, accessKeyId: 'ak', accessKeySecret: 'sk', now: new Date('2026-12-02T01:02:03.456Z'), nonce: 'n-1' });

    expect(headers['x-acs-date']).toBe('2026-12-02T01:02:03Z');
    const authorization = parseAuthorization(headers.authorization)!;
    expect(authorization.signedHeaders).toEqual(['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']);
    const { authorization: _, ...sent } = headers;
    const request = { method: 'POST', path: url.pathname, query, headers: sent, body: '' };
    expect(verifyAcs3('sk', authorization, request)).toBe(true);
    expect(verifyAcs3('another secret', authorization, request)).toBe(false);
    expect(verifyAcs3('sk', authorization, { ...request, query: { ...query, PhoneNumbers: '13900139000' } })).toBe(false);
    expect(verifyAcs3('sk', authorization, { ...request, headers: { ...sent, 'x-acs-action': 'QuerySendDetails' } })).toBe(false);
    expect(verifyAcs3('sk', authorization, { ...request, headers: { ...sent, 'x-acs-security-token': 'unsigned' } })).toBe(false);
  });

  it('refuses an Authorization header that is not ACS3-HMAC-SHA256', () => {
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization('acs ak:c2lnbmF0dXJl')).toBeNull();
  });
});
