// The web app's request building and the rules around it, without a browser: route keys become request
// lines, page addresses never take an API path, a submission keeps its Idempotency-Key until it succeeds,
// and a payment is settled both ways the API may answer (201 paid at once, 202 pending in the wallet).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../shared/routes.ts';
import { methodOf, pathOf } from '../../web/src/api/path.ts';
import { loadConfig } from '../../web/src/config.ts';
import { submissionKeys } from '../../web/src/idempotency.ts';
import { hrefOf, matchPage, PAGE_PATHS, type PageName } from '../../web/src/page-paths.ts';
import { payBill, paymentOfBill, waitUntilSettled } from '../../web/src/payment.ts';

describe('pathOf', () => {
  it('fills the path template of a route key, URL-encoding each value', () => {
    expect(pathOf('GET /cases/{id}', { id: 'C20261128-0007' })).toBe('/cases/C20261128-0007');
    expect(pathOf('DELETE /appointments/{id}', { id: 'a/b c' })).toBe('/appointments/a%2Fb%20c');
    expect(methodOf('POST /cases/{id}/rating')).toBe('POST');
  });

  it('adds the query values that are set and leaves out the rest', () => {
    expect(pathOf('GET /bills', {}, { status: 'paid', limit: 20, cursor: undefined })).toBe('/bills?status=paid&limit=20');
    expect(pathOf('GET /notices', {}, { community: '阳光 花园' })).toBe('/notices?community=%E9%98%B3%E5%85%89+%E8%8A%B1%E5%9B%AD');
    expect(pathOf('GET /catalog')).toBe('/catalog');
  });

  it('refuses to build a path with a value missing, rather than send /cases/undefined', () => {
    expect(() => pathOf('GET /cases/{id}')).toThrow('GET /cases/{id} needs a value for {id}');
    expect(() => pathOf('POST /bills/{id}/pay', { id: '' })).toThrow(/needs a value/);
  });
});

describe('page paths', () => {
  const apiPatterns = ROUTES.map((r) => new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`));
  const sample = (page: PageName) => hrefOf(page, { matter: 'retirement', id: 'C20261128-0007' });

  it('never take a path of the API or of the local platform, which share the origin under npm start', () => {
    for (const page of Object.keys(PAGE_PATHS) as PageName[]) {
      const path = sample(page);
      expect(apiPatterns.some((pattern) => pattern.test(path)), path).toBe(false);
      expect(path.startsWith('/_local'), path).toBe(false);
    }
  });

  it('are matched back to their page and values', () => {
    expect(matchPage('/my-cases/C20261128-0007')).toEqual({ page: 'case', params: { id: 'C20261128-0007' } });
    expect(matchPage('/my-bills/B%201/pay')).toEqual({ page: 'pay', params: { id: 'B 1' } });
    expect(matchPage('/guide/')).toEqual({ page: 'guide', params: {} });
    expect(matchPage('/cases')).toBeUndefined();
    expect(hrefOf('bills', {}, { status: 'paid' })).toBe('/my-bills?status=paid');
  });
});

describe('submissionKeys', () => {
  it('keeps one key for retries of the same entries until one succeeds, and makes a new one for new entries', () => {
    const keys = submissionKeys();
    const first = keys.keyFor({ billId: 'B1', method: 'wechat' });
    expect(keys.keyFor({ billId: 'B1', method: 'wechat' })).toBe(first);
    const changed = keys.keyFor({ billId: 'B1', method: 'alipay' });
    expect(changed).not.toBe(first);
    keys.succeeded();
    expect(keys.keyFor({ billId: 'B1', method: 'alipay' })).not.toBe(changed);
  });
});

describe('paying a bill', () => {
  const answers: Record<string, { status: number; body: unknown }[]> = {};
  const requests: { method: string; url: string; headers: Record<string, string>; body?: unknown }[] = [];

  beforeEach(async () => {
    const storage = new Map<string, string>();
    vi.stubGlobal('sessionStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v), removeItem: (k: string) => storage.delete(k) });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        requests.push({ method: init.method ?? 'GET', url, headers: (init.headers ?? {}) as Record<string, string>, body: init.body });
        const next = answers[`${init.method ?? 'GET'} ${url}`]?.shift() ?? { status: 404, body: { code: 'not_found' } };
        return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
      }),
    );
    answers['GET /config.json'] = [{ status: 200, body: { auth: 'local', apiUrl: 'https://api.example' } }];
    await loadConfig();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    requests.length = 0;
  });

  const receipt = { paymentId: 'PAY-1', billId: 'B1', amount: 3810, paidAt: '2026-12-01T01:30:00.000Z', receiptNo: 'R20261201-1' };

  it('shows the receipt at once when the provider charges synchronously (201)', async () => {
    answers['POST https://api.example/bills/B1/pay'] = [{ status: 201, body: receipt }];
    expect(await payBill('B1', 3810, 'wechat', 'qr', 'key-1')).toEqual({ kind: 'paid', receipt });
    expect(requests.at(-1)!.headers).toMatchObject({ 'idempotency-key': 'key-1', 'content-type': 'application/json' });
  });

  it('hands over the wallet’s QR code when the payment is pending (202), then waits for GET /payments/{id} to say paid', async () => {
    answers['POST https://api.example/bills/B1/pay'] = [
      { status: 202, body: { paymentId: 'PAY-1', billId: 'B1', status: 'pending', method: 'wechat', pay: { channel: 'qr', codeUrl: 'weixin://wxpay/bizpayurl?pr=abc' }, expiresAt: '2026-12-01T01:45:00.000Z' } },
    ];
    answers['GET https://api.example/payments/PAY-1'] = [
      { status: 200, body: { paymentId: 'PAY-1', billId: 'B1', status: 'pending' } },
      { status: 200, body: { ...receipt, status: 'paid' } },
    ];
    const outcome = await payBill('B1', 3810, 'wechat', 'qr', 'key-2');
    expect(outcome).toEqual({ kind: 'pending', payment: { paymentId: 'PAY-1', method: 'wechat', codeUrl: 'weixin://wxpay/bizpayurl?pr=abc', expiresAt: '2026-12-01T01:45:00.000Z' } });
    const settled = await waitUntilSettled('PAY-1', 1, new AbortController().signal);
    expect(settled).toEqual({ status: 'paid', receipt });
    expect(requests.filter((r) => r.url.endsWith('/payments/PAY-1'))).toHaveLength(2);
  });

  it('asks for the channel given: a phone gets the wallet’s page to open in its own browser (h5)', async () => {
    const redirectUrl = 'https://openapi.alipay.com/gateway.do?method=alipay.trade.wap.pay';
    answers['POST https://api.example/bills/B1/pay'] = [
      { status: 202, body: { paymentId: 'PAY-3', billId: 'B1', status: 'pending', method: 'alipay', pay: { channel: 'h5', redirectUrl }, expiresAt: '2026-12-01T01:45:00.000Z' } },
    ];
    const outcome = await payBill('B1', 3810, 'alipay', 'h5', 'key-3');
    expect(outcome).toEqual({ kind: 'pending', payment: { paymentId: 'PAY-3', method: 'alipay', redirectUrl, expiresAt: '2026-12-01T01:45:00.000Z' } });
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: 'https://api.example/bills/B1/pay', body: JSON.stringify({ amount: 3810, method: 'alipay', channel: 'h5' }) });
  });

  it('finds the payment the page’s address names again: pending with what to pay, paid with its receipt; another bill’s or an unknown one is none', async () => {
    const pay = { channel: 'qr', codeUrl: 'weixin://wxpay/bizpayurl?pr=abc' };
    answers['GET https://api.example/payments/PAY-4'] = [
      { status: 200, body: { paymentId: 'PAY-4', billId: 'B1', status: 'pending', method: 'wechat', pay, expiresAt: '2026-12-01T01:45:00.000Z' } },
      { status: 200, body: { ...receipt, paymentId: 'PAY-4', method: 'wechat', status: 'paid' } },
      { status: 200, body: { paymentId: 'PAY-4', billId: 'B1', status: 'closed', method: 'wechat' } },
    ];
    answers['GET https://api.example/payments/PAY-5'] = [{ status: 200, body: { paymentId: 'PAY-5', billId: 'B2', status: 'pending', method: 'wechat', pay } }];
    answers['GET https://api.example/payments/PAY-6'] = [{ status: 404, body: { status: 404, code: 'not_found', detail: 'No payment PAY-6.' } }];

    expect(await paymentOfBill('B1', 'PAY-4')).toEqual({ status: 'pending', payment: { paymentId: 'PAY-4', method: 'wechat', codeUrl: pay.codeUrl, expiresAt: '2026-12-01T01:45:00.000Z' } });
    expect(await paymentOfBill('B1', 'PAY-4')).toEqual({ status: 'paid', receipt: { ...receipt, paymentId: 'PAY-4' } });
    expect(await paymentOfBill('B1', 'PAY-4')).toEqual({ status: 'closed' });
    expect(await paymentOfBill('B1', 'PAY-5')).toBeUndefined();
    expect(await paymentOfBill('B1', 'PAY-6')).toBeUndefined();
  });

  it('reports a payment the wallet closed unpaid', async () => {
    answers['GET https://api.example/payments/PAY-2'] = [{ status: 200, body: { paymentId: 'PAY-2', billId: 'B1', status: 'closed' } }];
    expect(await waitUntilSettled('PAY-2', 1, new AbortController().signal)).toEqual({ status: 'closed' });
  });
});

describe('the hall display in AWS', () => {
  const urls: { url: string; headers: Record<string, string> }[] = [];
  beforeEach(async () => {
    // A signed-in clerk (the kiosk's or a supervisor's screen may be signed in): a token of a staff account.
    const token = ['e30', btoa(JSON.stringify({ sub: 'clerk-1', 'cognito:groups': ['staff'], exp: 4102444800 })).replace(/=+$/, ''), 'sig'].join('.');
    vi.stubGlobal('sessionStorage', { getItem: () => token, setItem: () => undefined, removeItem: () => undefined });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        urls.push({ url, headers: (init.headers ?? {}) as Record<string, string> });
        const body = url === '/config.json' ? { auth: 'local', apiUrl: 'https://api.example', displayUrl: 'https://fn.lambda-url.example' } : { items: [] };
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    await loadConfig();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    urls.length = 0;
  });

  it('polls GET /display at the function URL config.json names, without a token; every other route goes to the API', async () => {
    const { call } = await import('../../web/src/api/client.ts');
    await call('GET /display', { query: { centre: 'zizhuyuan' } });
    await call('GET /notices', { query: { community: 'sunshine-garden' } });

    expect(urls.slice(1).map((u) => u.url)).toEqual(['https://fn.lambda-url.example/display?centre=zizhuyuan', 'https://api.example/notices?community=sunshine-garden']);
    expect(urls[1]!.headers.authorization).toBeUndefined();
    expect(urls[2]!.headers.authorization).toMatch(/^Bearer e30\./);
  });
});
