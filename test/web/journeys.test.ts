// The resident's journeys in a real browser against the real local platform (`npm start`'s entry), each
// clicked through as a resident would, on a phone (390×844) and on a PC (1280×800). One Chromium and one
// server for the file. No journey may open a dialog, throw, or break the Content-Security-Policy.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startServer, type RunningServer } from '../support/local-server.ts';
import { DESKTOP, launchChromium, openApp, PHONE, signInAs, type AppPage, type Chromium } from '../support/browser.ts';
import { approveOpenStep, freshIdNumber, importBill, publishNotice, residentWithProfile } from '../support/web-fixtures.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { previousPeriod } from '../../shared/domain/bills.ts';

let server: RunningServer;
let browser: Chromium;
const opened: AppPage[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
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

const file = (name: string, mimeType = 'image/jpeg') => ({ name, mimeType, buffer: Buffer.from('photo of a paper') });

describe.each([
  ['phone', PHONE],
  ['PC', DESKTOP],
] as const)('on a %s', (device, viewport) => {
  let run = 0;
  const newSub = () => `web-${device}-${++run}-${Date.now().toString(36)}`;

  it('signs in, completes the profile: the ID number is checked as it is typed, the server’s field errors are shown beside the field and summed up at the top', async () => {
    const page = await open('/profile', { viewport });
    await signInAs(page, /新居民|New resident/);
    await page.getByRole('heading', { level: 1, name: '个人资料' }).waitFor();

    await page.getByLabel('姓名').fill('陈一');
    const idNumber = freshIdNumber();
    const wrongCheck = `${idNumber.slice(0, 17)}${idNumber[17] === '1' ? '2' : '1'}`;
    await page.getByLabel('居民身份证号').fill(wrongCheck);
    await expect.poll(() => page.locator('#field-idNumber-error').textContent()).toContain('校验码');
    await page.getByLabel('居民身份证号').fill(idNumber);
    await expect.poll(() => page.locator('#field-idNumber-error').count()).toBe(0);

    await page.getByLabel('手机号').fill('13800138011');
    await page.getByLabel('所在社区代码').fill('Not A Code');
    await page.getByRole('button', { name: '保存资料' }).click();

    // Only the server knows the community rule: its 400 lands beside the field and in the summary.
    const summary = page.getByRole('alert').filter({ hasText: '需要修改' });
    await summary.waitFor();
    await expect.poll(() => page.locator('#field-community-error').textContent()).toContain('小写字母');
    await summary.getByRole('link', { name: /所在社区代码/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-community');

    await page.getByLabel('所在社区代码').fill('sunshine-garden');
    await page.getByRole('button', { name: '保存资料' }).click();
    await page.getByText('资料已保存').waitFor();
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

  it('declares a matter with one material, sees every missing item at once, adds them, and the case is reviewed again (an offline submit keeps the files)', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const page = await open('/guide', { viewport, token });
    await page.getByRole('article', { name: '社保补缴' }).getByRole('link', { name: '在线申报' }).click();
    await page.getByRole('heading', { level: 1, name: '申报：社保补缴' }).waitFor();
    await page.getByLabel('居民身份证').setInputFiles(file('id-card.jpg'));
    expect(await page.getByLabel('居民身份证').getAttribute('accept')).toBe('image/*,application/pdf');

    await browser.context.setOffline(true);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('网络连接失败').waitFor();
    await browser.context.setOffline(false);
    expect(await page.getByText('已选择：id-card.jpg').count()).toBe(1);
    await page.getByRole('button', { name: '提交申请' }).click();

    await page.getByText('退回补正').first().waitFor({ timeout: 15_000 });
    const missing = page.getByRole('status').filter({ hasText: '请补交以下全部材料' });
    expect(await missing.getByRole('listitem').allTextContents()).toEqual(['劳动合同', '工资流水']);

    await page.getByLabel('劳动合同').setInputFiles(file('contract.pdf', 'application/pdf'));
    await page.getByLabel('工资流水').setInputFiles(file('wages.jpg'));
    await page.getByRole('button', { name: '补交并重新提交' }).click();
    await page.locator('.facts').getByText('审核中').waitFor({ timeout: 15_000 });
    expect(await page.locator('.facts').textContent()).toContain('窗口受理');

    // One case only, although the first submit was tried twice.
    const cases = await client(server.url, token).get('/cases');
    expect(cases.body.items).toHaveLength(1);
  });

  it('follows a case to its decision on the timeline and rates it with one of the five labelled levels', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const resident = client(server.url, token);
    const materials = ['id-card', 'labor-contract', 'wage-statement'].map((type) => ({ type, ref: `${type}.jpg` }));
    const created = await resident.post('/cases', { matter: 'social-insurance-backpay', materials });
    await approveOpenStep(server.url, created.body.id, 1);

    const page = await open('/', { viewport, token });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '我的办件' }).click();
    await page.getByRole('link', { name: '社保补缴' }).click();
    await page.locator('.facts').getByText('已办结（通过）').waitFor({ timeout: 15_000 });
    const timeline = await page.locator('.timeline li').allTextContents();
    expect(timeline.length).toBeGreaterThanOrEqual(3);
    expect(timeline[0]).toContain('已提交');
    expect(timeline.at(-1)).toContain('已办结（通过）');

    const levels = await page.getByRole('group', { name: '您对这次办理满意吗？' }).getByRole('radio').count();
    expect(levels).toBe(5);
    for (const label of ['非常不满意', '不满意', '基本满意', '满意', '非常满意']) expect(await page.getByRole('radio', { name: label, exact: true }).count()).toBe(1);
    await page.getByRole('radio', { name: '非常满意', exact: true }).check();
    await page.getByLabel('意见或建议').fill('办得很快');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('您的评价：非常满意').waitFor();
  });

  it('books a window on a working day, shows the ticket with its QR code, and cancels it without a pop-up', async () => {
    const token = await residentWithProfile(server.url, newSub());
    const page = await open('/book', { viewport, token });
    await page.getByRole('radio', { name: '社会保险' }).check();
    const days = page.getByRole('group', { name: '选择日期（仅工作日）' }).getByRole('radio');
    for (const label of await page.getByRole('group', { name: '选择日期（仅工作日）' }).locator('label').allTextContents()) {
      expect(label).not.toMatch(/周六|周日/);
    }
    // The second day offered: always a day ahead, so its slots have not begun.
    await days.nth(1).check();
    const slot = page.getByRole('radio', { name: /剩余 \d+ 个/ }).first();
    await slot.waitFor();
    await slot.check();
    await page.getByRole('button', { name: '确认预约' }).click();

    await page.getByRole('heading', { level: 1, name: '预约凭证' }).waitFor();
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^S-\d{3}$/);
    await page.locator('.qr svg').waitFor();
    expect(await page.getByRole('img', { name: /二维码/ }).count()).toBe(1);

    await page.getByRole('button', { name: '取消预约' }).click();
    await page.getByRole('button', { name: '确定取消' }).click();
    await page.locator('.facts').getByText('已取消').waitFor();
  });

  it('pays a bill: a lost answer is retried with the same Idempotency-Key and pays once; the receipt follows', async () => {
    const sub = newSub();
    const token = await residentWithProfile(server.url, sub);
    const today = shanghaiDate(new Date());
    await importBill(server.url, sub, 3_810, previousPeriod(today), today);
    const page = await open('/my-bills', { viewport, token });
    await page.getByText('¥38.10').waitFor();
    await page.getByRole('link', { name: '去缴费' }).click();
    await page.getByRole('radio', { name: '支付宝' }).check();

    // The first attempt reaches the API, but its answer never arrives (the connection drops).
    const keys: string[] = [];
    let attempts = 0;
    await page.route('**/bills/*/pay', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (++attempts === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByRole('button', { name: /支付 ¥38.10/ }).click();
    await page.getByText('网络连接失败').waitFor();
    expect(await page.getByRole('radio', { name: '支付宝' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: /支付 ¥38.10/ }).click();

    await page.getByRole('heading', { name: '缴费凭证' }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    const receiptNo = await page.locator('.receipt dd').first().textContent();
    expect(receiptNo).toBeTruthy();

    await page.getByRole('link', { name: '查看已缴账单' }).click();
    await page.getByText('缴费时间').first().waitFor();
    const paid = await client(server.url, token).get('/bills?status=paid');
    expect(paid.body.items).toHaveLength(1);
  });

  it('reads the community’s notices and its emergency facilities, each with a link to the map app', async () => {
    const title = `3栋停水 ${device}`;
    await publishNotice(server.url, title);
    const page = await open('/', { viewport });
    await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '公告与应急' }).click();
    await page.getByText(title).waitFor();

    const facilities = page.locator('#facilities ~ .list > li');
    await facilities.first().waitFor();
    const all = await facilities.count();
    await page.getByLabel('设施类别').selectOption('shelter');
    await expect.poll(async () => (await facilities.allTextContents()).every((text) => text.includes('应急避难场所'))).toBe(true);
    expect(await facilities.count()).toBeLessThan(all);
    expect(await facilities.first().getByRole('link', { name: '在高德地图中打开' }).getAttribute('href')).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=\d+\.\d+%2C\d+\.\d+/);
    expect(await facilities.first().getByRole('link', { name: '在其他地图应用中打开' }).getAttribute('href')).toMatch(/^geo:\d+\.\d+,\d+\.\d+/);
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
