// The resident's journeys in a real browser against the real local platform (`npm start`'s entry), each
// clicked through as a resident would, on a phone (390×844) and on a PC (1280×800). One Chromium and one
// server for the file. No journey may open a dialog, throw, or break the Content-Security-Policy.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { client, startServer, tempDataDir, type RunningServer } from '../support/local-server.ts';
import { DESKTOP, launchChromium, openApp, PHONE, signInAs, type AppPage, type Chromium } from '../support/browser.ts';
import { pdfFile, pngFile, textFile } from '../support/files.ts';
import { sandboxOrders } from '../support/wallet-notifications.ts';
import { approveOpenStep, collectAtWindow, freshIdNumber, idNumberOfSomeoneElse, importBill, publishNotice, residentWithProfile } from '../support/web-fixtures.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { previousPeriod } from '../../shared/domain/bills.ts';

let server: RunningServer;
let browser: Chromium;
const opened: AppPage[] = [];

beforeAll(async () => {
  // PAYMENT_PROVIDER empty: the server offers what `npm start` offers, both wallets against the payment sandbox.
  [server, browser] = await Promise.all([startServer(tempDataDir(), { PAYMENT_PROVIDER: '' }), launchChromium()]);
});
afterAll(async () => {
  for (const { faults } of opened) expect(faults).toEqual([]);
  await browser?.close();
  await server?.stop();
});

async function open(path: string, options: Parameters<typeof openApp>[3] = {}): Promise<Page> {
  const app = await openApp(browser, server.url, path, options);
  opened.push(app);
  return app.page;
}

const png = (name: string) => ({ name, mimeType: 'image/png', buffer: pngFile() });
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdfFile() });
/** A text file renamed to .png: the automatic review reads its first bytes and finds no PNG. */
const notAPng = (name: string) => ({ name, mimeType: 'image/png', buffer: textFile() });

describe.each([
  ['phone', PHONE],
  ['PC', DESKTOP],
] as const)('on a %s', (device, viewport) => {
  let run = 0;
  const newSub = () => `web-${device}-${++run}-${Date.now().toString(36)}`;

  it('signs in, completes the profile: the ID number is checked as it is typed, the community is chosen by centre, the server’s field errors are shown beside the fields and summed up at the top', async () => {
    const page = await open('/profile', { viewport });
    await signInAs(page, /新居民|New resident/);
    await page.getByRole('heading', { level: 1, name: '个人资料' }).waitFor();

    await page.getByLabel('姓名').fill('陈一');
    const idNumber = freshIdNumber();
    const wrongCheck = `${idNumber.slice(0, 17)}${idNumber[17] === '1' ? '2' : '1'}`;
    await page.getByLabel('居民身份证号').fill(wrongCheck);
    await expect.poll(() => page.locator('#field-idNumber-error').textContent()).toContain('校验码');
    await page.getByLabel('居民身份证号').fill(idNumberOfSomeoneElse());
    await expect.poll(() => page.locator('#field-idNumber-error').count()).toBe(0);

    await page.getByLabel('手机号').fill('13800138011');
    expect(await page.getByLabel('所在社区').isDisabled()).toBe(true);
    await page.getByLabel('所属服务中心').selectOption({ label: '八里庄街道便民服务中心' });
    expect(await page.getByLabel('所在社区').locator('option').allTextContents()).toEqual(['请选择社区', '八里庄北里社区', '红庙社区']);
    await page.getByLabel('所属服务中心').selectOption({ label: '紫竹院街道便民服务中心' });
    await page.getByLabel('所在社区').selectOption({ label: '阳光花园社区' });
    await page.getByRole('button', { name: '保存资料' }).click();

    // Only the server knows the national register: its 422 lands beside both fields and in the summary.
    const summary = page.getByRole('alert').filter({ hasText: '需要修改' });
    await summary.waitFor();
    await expect.poll(() => page.locator('#field-name-error').textContent()).toContain('不一致');
    await expect.poll(() => page.locator('#field-idNumber-error').textContent()).toContain('不一致');
    await summary.getByRole('link', { name: /居民身份证号/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-idNumber');

    await page.getByLabel('居民身份证号').fill(idNumber);
    await page.getByRole('button', { name: '保存资料' }).click();
    await page.getByText('资料已保存').waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('所在社区').inputValue()).toBe('sunshine-garden');
    expect(await page.getByLabel('所属服务中心').inputValue()).toBe('zizhuyuan');
  });

  it('reads the guide: matters by window with materials, time limit, approval steps and whether a visit is needed', async () => {
    const page = await open('/', { viewport });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '办事指南' }).click();
    const retirement = page.getByRole('article', { name: '退休申请' });
    await retirement.waitFor();
    const text = await retirement.textContent();
    for (const expected of ['10 个工作日', '窗口受理 → 主管审核', '需要到窗口领取结果', '居民身份证', '人事档案']) expect(text).toContain(expected);
    expect(await page.getByRole('heading', { level: 2, name: '社会保险' }).count()).toBe(1);
  });

  it('declares a matter with real files (progress shown), sees every missing item and the review’s finding at once, uploads them again, resubmits, and withdraws (an offline submit keeps the files and is sent once)', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const page = await open('/guide', { viewport, token });
    // A phone's touch screen: its pointer is coarse, as on a real phone.
    if (device === 'phone') await (await page.context().newCDPSession(page)).send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page.getByRole('article', { name: '社保补缴' }).getByRole('link', { name: '在线申报' }).click();
    await page.getByRole('heading', { level: 1, name: '申报：社保补缴' }).waitFor();
    const idCard = page.getByLabel('居民身份证');
    expect(await idCard.getAttribute('accept')).toBe('image/*,application/pdf');
    // The camera opens on touch screens only (a PC picks a file).
    expect(await idCard.getAttribute('capture')).toBe(device === 'phone' ? 'environment' : null);
    await idCard.setInputFiles(png('id-card.png'));
    await page.getByLabel('劳动合同').setInputFiles(notAPng('contract.png'));

    // Offline: nothing is sent, every chosen file stays.
    await browser.context.setOffline(true);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('网络连接失败').waitFor();
    await browser.context.setOffline(false);
    expect(await page.getByText('已选择：id-card.png').count()).toBe(1);

    // Online, the files upload (with their progress) and the declaration reaches the API, but its answer is lost.
    const keys: string[] = [];
    await page.route('**/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.locator('#field-material-id-card-progress').getAttribute('value')).toBe('100');
    await expect.poll(() => keys.length).toBe(1);
    await page.getByText('网络连接失败').waitFor();
    await page.getByRole('button', { name: '提交申请' }).click();

    await page.getByText('退回补正').first().waitFor({ timeout: 15_000 });
    const missing = page.getByRole('status').filter({ hasText: '请补交以下全部材料' });
    expect(await missing.getByRole('listitem').allTextContents()).toEqual(['劳动合同（文件类型不符，请上传照片或 PDF）', '工资流水']);
    const materials = page.locator('.facts.materials');
    expect(await materials.textContent()).toContain('已上传，预审通过');
    // The resident opens the ID card they sent: the real PNG, fetched with their token and shown inline.
    await materials.getByRole('button', { name: /^查看/ }).first().click();
    const shown = materials.locator('.material-view img');
    await shown.waitFor();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await materials.getByRole('button', { name: '收起' }).click();
    expect(await materials.locator('.material-view').count()).toBe(0);

    await page.getByLabel('劳动合同').setInputFiles(pdf('contract.pdf'));
    await page.getByLabel('工资流水').setInputFiles(png('wages.png'));
    await page.getByRole('button', { name: '补交并重新提交' }).click();
    await page.locator('.facts').getByText('审核中').waitFor({ timeout: 15_000 });
    expect(await page.locator('.facts').first().textContent()).toContain('窗口受理');
    expect(await materials.locator('dd .material-state').allTextContents()).toEqual(['已上传，预审通过', '已上传，预审通过', '已上传，预审通过']);

    // One case only, although the declaration was sent twice: the retry carried the first key.
    await page.unroute('**/cases');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const cases = await client(server.url, token).get('/cases');
    expect(cases.body.items).toHaveLength(1);

    await page.getByRole('button', { name: '撤回申请' }).click();
    await page.getByRole('button', { name: '确定撤回' }).click();
    await page.locator('.facts').getByText('已撤回').waitFor();
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
    expect(await page.locator('.timeline li').last().textContent()).toContain('本人');
  });

  it('tells a resident whose identity is not verified, before anything is uploaded, that this matter needs it', async () => {
    // Order code 999 holds one ID number per birth date: another date for each device.
    const token = await residentWithProfile(server.url, newSub(), { unverified: true, birthDate: device === 'phone' ? '19800102' : '19800103' });
    const page = await open('/declare/social-insurance-backpay', { viewport, token });
    await page.getByText('这项业务需要实名核验').waitFor();
    expect(await page.getByRole('button', { name: '提交申请' }).count()).toBe(0);
  });

  it('follows a case to its decision on the timeline (who acted, due date, current step), sees it awaiting collection and collected, and rates it with one of the five labelled levels', async () => {
    // Born in 1950: old enough to retire, so the case goes to the caseworker and then the supervisor.
    const token = await residentWithProfile(server.url, newSub(), { birthDate: '19500101' });
    const resident = client(server.url, token);
    const materials = ['id-card', 'personnel-file'].map((type) => ({ type, ref: `${type}.jpg` }));
    const created = await resident.post('/cases', { matter: 'retirement', materials });
    await approveOpenStep(server.url, created.body.id, 1, 1);

    const page = await open('/', { viewport, token });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '我的办件' }).click();
    await page.getByRole('link', { name: '退休申请' }).click();
    const facts = page.locator('.facts').first();
    await facts.getByText('审核中').waitFor({ timeout: 15_000 });
    expect(await facts.textContent()).toMatch(/预计办结日期.*\d{4}年\d{1,2}月\d{1,2}日/);
    expect(await facts.textContent()).toContain('主管审核');

    await approveOpenStep(server.url, created.body.id, 1, 2);
    // The workflow finishes the case a moment after the last decision: reload once it has.
    await vi.waitFor(async () => expect((await resident.get(`/cases/${created.body.id}`)).body.status).toBe('approved'), { timeout: 15_000, interval: 200 });
    await page.reload();
    await facts.getByText('已办结（通过）').waitFor({ timeout: 15_000 });
    expect(await facts.textContent()).toContain('请到窗口领取办理结果');
    const timeline = await page.locator('.timeline li').allTextContents();
    expect(timeline.length).toBeGreaterThanOrEqual(4);
    expect(timeline[0]).toContain('已提交');
    expect(timeline[0]).toContain('本人');
    expect(timeline.at(-1)).toContain('已办结（通过）');
    expect(timeline.at(-1)).toContain('材料齐全，同意');
    expect(timeline.some((entry) => entry.includes('系统'))).toBe(true);

    await collectAtWindow(server.url, created.body.id);
    await page.reload();
    await facts.getByText(/已于 .* 领取/).waitFor();

    const levels = await page.getByRole('group', { name: '您对这次办理满意吗？' }).getByRole('radio').count();
    expect(levels).toBe(5);
    for (const label of ['非常不满意', '不满意', '基本满意', '满意', '非常满意']) expect(await page.getByRole('radio', { name: label, exact: true }).count()).toBe(1);
    await page.getByRole('radio', { name: '非常满意', exact: true }).check();
    await page.getByLabel('意见或建议').fill('办得很快');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('您的评价：非常满意').waitFor();
  });

  it('books a window at a service centre (the resident’s own chosen already) on a working day, shows the ticket with its QR code, moves it to another day, and cancels it without a pop-up', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const page = await open('/book', { viewport, token });
    const centres = page.getByRole('group', { name: '选择服务中心' });
    await centres.getByRole('radio').first().waitFor();
    expect(await centres.getByRole('radio', { name: /紫竹院街道便民服务中心/ }).isChecked()).toBe(true);
    expect(await centres.getByRole('radio', { name: /紫竹院街道便民服务中心/ }).getAttribute('name')).toBe('centre');
    await centres.getByRole('radio', { name: /八里庄街道便民服务中心/ }).check();
    await page.getByRole('radio', { name: '社会保险' }).check();
    const days = page.getByRole('group', { name: '选择日期（仅工作日）' }).getByRole('radio');
    for (const label of await page.getByRole('group', { name: '选择日期（仅工作日）' }).locator('label').allTextContents()) {
      expect(label).not.toMatch(/周六|周日/);
    }
    // The second day offered: always a day ahead, so its slots have not begun.
    await days.nth(1).check();
    const slot = page.getByRole('radio', { name: /剩余 \d+ 个/ }).first();
    await slot.waitFor();
    // Balizhuang's hall opens at 09:00 and again at 14:00 (Zizhuyuan's afternoon starts at 13:30).
    expect(await page.getByRole('group', { name: '选择时段' }).getByRole('radio', { name: /^13:30/ }).count()).toBe(0);
    await slot.check();
    await page.getByRole('button', { name: '确认预约' }).click();

    await page.getByRole('heading', { level: 1, name: '预约凭证' }).waitFor();
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^S-\d{3}$/);
    expect(await page.locator('.ticket .facts').textContent()).toContain('八里庄街道便民服务中心');
    await page.locator('.qr svg').waitFor();
    expect(await page.getByRole('img', { name: /二维码/ }).count()).toBe(1);

    // Moved to another day in one step: the new ticket opens, the old one is cancelled.
    const first = page.url();
    await page.getByText('改约到其他时段').click();
    await page.getByRole('group', { name: '选择日期（仅工作日）' }).getByRole('radio').nth(2).check();
    const free = page.getByRole('radio', { name: /剩余 \d+ 个/ }).first();
    await free.waitFor();
    await free.check();
    await page.getByRole('button', { name: '确认改约' }).click();
    await page.waitForURL((url) => url.toString() !== first);
    await page.locator('.qr svg').waitFor();
    expect(await page.locator('.ticket .facts').textContent()).toContain('八里庄街道便民服务中心');

    await page.getByRole('button', { name: '取消预约' }).click();
    await page.getByRole('button', { name: '确定取消' }).click();
    await page.locator('.facts').getByText('已取消').waitFor();
    await page.goto(first);
    await page.locator('.facts').getByText('已取消').waitFor();
  });

  it('pays a bill in the wallet: a lost answer is retried with the same Idempotency-Key; a PC shows the QR code, a phone goes to the wallet’s page in the same tab and comes back; the receipt arrives on the page', async () => {
    const sub = newSub();
    const token = await residentWithProfile(server.url, sub);
    const today = shanghaiDate(new Date());
    await importBill(server.url, sub, 3_810, previousPeriod(today), today);
    const page = await open('/my-bills', { viewport, token });
    // A phone's touch screen: its pointer is coarse, as on a real phone, so it pays in its own browser (h5).
    if (device === 'phone') await (await page.context().newCDPSession(page)).send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page.getByText('¥38.10').waitFor();
    await page.getByRole('link', { name: '去缴费' }).click();
    await page.getByRole('radio', { name: device === 'phone' ? '支付宝' : '微信支付' }).check();

    // The first attempt reaches the API, but its answer never arrives (the connection drops).
    const keys: string[] = [];
    const orders: { paymentId: string; billId: string; status: string; pay: { channel: string } }[] = [];
    await page.route('**/bills/*/pay', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const response = await route.fetch();
      orders.push(await response.json());
      if (keys.length === 1) await route.abort('connectionreset');
      else await route.fulfill({ response });
    });
    await page.getByRole('button', { name: /支付 ¥38.10/ }).click();
    await page.getByText('网络连接失败').waitFor();
    await page.getByRole('button', { name: /支付 ¥38.10/ }).click();

    const method = device === 'phone' ? '支付宝' : '微信支付';
    await page.getByRole('heading', { name: `请在${method}中完成支付` }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // One order: the retry was answered with the first attempt's pending payment.
    expect(orders[1]).toEqual(orders[0]);
    const { paymentId, billId } = orders[0]!;
    expect(orders[0]).toMatchObject({ status: 'pending', pay: { channel: device === 'phone' ? 'h5' : 'qr' } });
    // The address names the pending payment, so a reload or the wallet's way back finds it.
    const payPage = `/my-bills/${billId}/pay?payment=${paymentId}`;
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(payPage);

    if (device === 'phone') {
      // No code to scan on its own screen: the link takes this tab to the wallet's page (the sandbox's cashier),
      // the resident pays there and the wallet sends them back to the pay page with the payment.
      expect(await page.locator('.qr').count()).toBe(0);
      await page.getByRole('link', { name: `打开${method}付款` }).click();
      await page.waitForURL(/\/_sandbox\/alipay\//);
      await page.getByRole('button', { name: /支付/ }).click();
      await page.waitForURL((url) => url.pathname === `/my-bills/${billId}/pay` && url.searchParams.get('payment') === paymentId);
    } else {
      await page.locator('.qr svg').waitFor();
      // On a PC the resident scans the code with a phone: the sandbox plays the wallet paying and notifying.
      const res = await fetch(`${server.url}/_local/payments/${paymentId}/complete`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(200);
    }

    await page.getByRole('heading', { name: '缴费凭证' }).waitFor({ timeout: 20_000 });
    const receiptNo = await page.locator('.receipt dd').first().textContent();
    expect(receiptNo).toMatch(/^R\d{8}-/);
    // What Alipay added to the address on the way back (its signed summary) is gone from it.
    await expect.poll(() => new URL(page.url()).search).toBe(`?payment=${paymentId}`);

    await page.getByRole('link', { name: '查看已缴账单' }).click();
    await page.getByText('缴费时间').first().waitFor();
    const paid = await client(server.url, token).get('/bills?status=paid');
    expect(paid.body.items).toEqual([expect.objectContaining({ receiptNo, method: device === 'phone' ? 'alipay' : 'wechat' })]);
  });

  it('reads the community’s active and upcoming notices, finds the shelters nearest to the phone’s position with their distances, and opens one in the map app; no map tiles are fetched', async () => {
    const title = `3栋停水 ${device}`;
    const tomorrow = `明日停电 ${device}`;
    await publishNotice(server.url, title);
    await publishNotice(server.url, tomorrow, { kind: 'power-outage', upcoming: true });
    const page = await open('/', { viewport });
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== server.url) elsewhere.push(request.url());
    });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '公告与应急' }).click();
    await page.getByText(title).waitFor();
    const notices = page.locator('#notices ~ .list > li');
    expect(await notices.filter({ hasText: title }).textContent()).toContain('正在进行');
    expect(await notices.filter({ hasText: tomorrow }).textContent()).toContain('即将开始');
    // Active first.
    const order = await notices.allTextContents();
    expect(order.findIndex((text) => text.includes(title))).toBeLessThan(order.findIndex((text) => text.includes(tomorrow)));

    // Standing at the south gate of Sunshine Garden's central square.
    await browser.context.grantPermissions(['geolocation'], { origin: server.url });
    await browser.context.setGeolocation({ latitude: 39.9215, longitude: 116.4830 });
    await page.getByRole('button', { name: '用我的位置查找' }).click();
    const nearest = page.locator('.nearest > li');
    await nearest.first().waitFor();
    const found = await nearest.allTextContents();
    expect(found[0]).toContain('阳光花园中心广场应急避难场所');
    expect(found[0]).toMatch(/距您 \d+ 米/);
    expect(found.every((text) => text.includes('应急避难场所'))).toBe(true);
    const meters = found.map((text) => { const m = /距您 ([\d.]+) (米|公里)/.exec(text)!; return Number(m[1]) * (m[2] === '公里' ? 1000 : 1); });
    expect([...meters].sort((a, b) => a - b)).toEqual(meters);
    expect(await nearest.first().getByRole('link', { name: '在其他地图应用中打开' }).getAttribute('href')).toMatch(/^geo:39\.9219,116\.4833/);
    expect(await nearest.first().getByRole('link', { name: '在高德地图中打开' }).getAttribute('href')).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=116\.4833%2C39\.9219/);

    const facilities = page.locator('#facilities ~ .list > li');
    await facilities.first().waitFor();
    const all = await facilities.count();
    await page.getByLabel('设施类别').selectOption('shelter');
    await expect.poll(async () => (await facilities.allTextContents()).every((text) => text.includes('应急避难场所'))).toBe(true);
    expect(await facilities.count()).toBeLessThan(all);
    expect(elsewhere).toEqual([]);
  });

  it('reads my messages and chooses how they reach me: a community notice then arrives in the inbox instead of by SMS', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const page = await open('/', { viewport, token });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '我的消息' }).click();
    await page.getByRole('heading', { level: 1, name: '我的消息' }).waitFor();
    await page.getByText('还没有消息。').waitFor();
    await page.getByRole('link', { name: '设置接收方式' }).click();
    await page.getByRole('heading', { level: 1, name: '消息接收方式' }).waitFor();
    await page.getByText(/21:00 至次日 08:00/).waitFor();
    const notices = page.getByRole('group', { name: '社区公告' });
    expect(await notices.getByRole('radio', { name: '短信' }).isChecked()).toBe(true);
    await notices.getByRole('radio', { name: '只在站内查看' }).check();
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存').waitFor();
    expect((await client(server.url, token).get('/me/preferences')).body).toMatchObject({ communityNotices: 'inbox', billReminders: 'sms' });

    const title = `活动室开放 ${device}`;
    await publishNotice(server.url, title, { kind: 'general' });
    await page.getByRole('link', { name: '返回我的消息' }).click();
    await expect
      .poll(async () => {
        await page.reload();
        await page.locator('h1').waitFor();
        await page.waitForFunction(() => !document.querySelector('.loading'));
        return page.locator('#main .list > li').allTextContents();
      }, { timeout: 20_000 })
      .toEqual([expect.stringMatching(new RegExp(`站内消息.*已送达.*${title}`))]);
  });
});

describe('a pending wallet payment', () => {
  it('survives a reload of the pay page on a PC: the same order’s QR code again, no second order, and the receipt once it is paid, also after another reload', async () => {
    const sub = `web-reload-${Date.now().toString(36)}`;
    const token = await residentWithProfile(server.url, sub);
    const today = shanghaiDate(new Date());
    await importBill(server.url, sub, 2_460, previousPeriod(today), today);
    const page = await open('/my-bills', { viewport: DESKTOP, token });
    const pays: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/bills\/[^/]+\/pay$/.test(new URL(request.url()).pathname)) pays.push(request.url());
    });
    await page.getByRole('link', { name: '去缴费' }).click();
    await page.getByRole('button', { name: /支付 ¥24.60/ }).click();
    await page.locator('.qr svg').waitFor();
    const billId = new URL(page.url()).pathname.split('/')[2]!;
    const paymentId = new URL(page.url()).searchParams.get('payment')!;
    expect(paymentId).toBe(`${billId}-1`);
    const walletLink = page.getByRole('link', { name: '打开微信支付付款' });
    const codeUrl = await walletLink.getAttribute('href');

    await page.reload();

    await page.getByRole('heading', { name: '请在微信支付中完成支付' }).waitFor();
    await page.locator('.qr svg').waitFor();
    expect(await walletLink.getAttribute('href')).toBe(codeUrl);
    expect(new URL(page.url()).searchParams.get('payment')).toBe(paymentId);
    expect(pays).toHaveLength(1);
    expect(sandboxOrders(server.dataDir).filter((order) => order.reference.startsWith(billId))).toHaveLength(1);

    const res = await fetch(`${server.url}/_local/payments/${paymentId}/complete`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    await page.getByRole('heading', { name: '缴费凭证' }).waitFor({ timeout: 20_000 });
    const receiptNo = await page.locator('.receipt dd').first().textContent();

    // Paid, the bill is no longer among the unpaid ones; the address still names its payment, the receipt.
    await page.reload();
    await page.getByRole('heading', { name: '缴费凭证' }).waitFor();
    expect(await page.locator('.receipt dd').first().textContent()).toBe(receiptNo);
    expect(pays).toHaveLength(1);
  });
});

describe('display settings', () => {
  it('switches to English and to elderly mode on any page, and remembers both', async () => {
    const page = await open('/guide');
    await page.getByRole('button', { name: '长辈版' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service guide' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Service guide' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.mode])).toEqual(['en', 'elderly']);
    expect(await page.getByRole('button', { name: 'Large text' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('shows a clerk the resident pages as residents only, not as errors', async () => {
    const page = await open('/my-bills');
    await signInAs(page, /窗口工作人员/);
    await page.getByRole('heading', { level: 1, name: '此页面供居民使用' }).waitFor();
  });
});
