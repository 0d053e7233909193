// Records and jobs from home in a real browser against the real local platform: a verified resident checks their
// social-insurance record, follows its arrears to the back-payment declaration with the months prefilled, looks
// at the housing fund, applies for a job of their centre with a note and a real CV upload, and sees the
// application in "my applications". Both pages pass axe (WCAG 2.1 A/AA) in both display modes.

import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { backpayNote } from '../../shared/domain/records.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';
import { DESKTOP, launchChromium, openApp, PHONE, type AppPage, type Chromium } from '../support/browser.ts';
import { pdfFile } from '../support/files.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server: RunningServer;
let browser: Chromium;
const opened: AppPage[] = [];
let residentToken = '';
let jobTitle = '';

/** An ID number with an even order code: the records sandbox gives it two months of arrears. */
function idNumberWithArrears(): string {
  const first17 = `11010519800101${String(((process.pid % 400) + 1) * 2).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium({ bypassCSP: true })]);
  residentToken = await tokenFor(server.url, 'web-records-resident', 'resident');
  const put = await client(server.url, residentToken).put('/me', { name: '王芳', idNumber: idNumberWithArrears(), phone: '13800138124', community: 'sunshine-garden' });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  expect(put.body.verification).toMatchObject({ method: 'real-name' });
  const window = client(server.url, await tokenFor(server.url, 'web-jobs-window', 'staff', { categories: ['employment'] }));
  jobTitle = `社区网格员${process.pid}`;
  const posted = await window.post('/jobs', { employer: '紫竹院街道办事处', title: jobTitle, payRange: { min: 5000, max: 6500 }, place: '紫竹院街道', requirements: '熟悉社区情况', closesOn: addDays(shanghaiDate(new Date()), 10) });
  expect(posted.status).toBe(201);
});
afterAll(async () => {
  for (const { faults } of opened) expect(faults).toEqual([]);
  await browser?.close();
  await server?.stop();
});

async function open(path: string, options: Parameters<typeof openApp>[3] = {}): Promise<Page> {
  const app = await openApp(browser, server.url, path, { token: residentToken, ...options });
  opened.push(app);
  await app.page.locator('h1').waitFor();
  await app.page.waitForFunction(() => !document.querySelector('.loading'));
  return app.page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (d: Document, o: unknown) => Promise<unknown> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }),
  )) as { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.each([
  ['phone', PHONE],
  ['PC', DESKTOP],
] as const)('on a %s', (_device, viewport) => {
  it('checks the social-insurance record from the home page and follows the arrears to a prefilled back-payment declaration', async () => {
    const page = await open('/', { viewport });
    await page.getByRole('link', { name: /社保·医保·公积金/ }).click();
    await page.getByRole('heading', { level: 1, name: '社保·医保·公积金' }).waitFor();
    await page.getByText('欠缴月份').waitFor();
    const record = await client(server.url, residentToken).get('/me/records/social-insurance');
    expect(record.body.settle.prefill.months).toHaveLength(2);
    await page.getByRole('link', { name: '在线申报补缴' }).click();
    await page.getByRole('heading', { level: 1, name: /社保补缴/ }).waitFor();
    expect(await page.getByLabel(/补充说明/).inputValue()).toBe(backpayNote(record.body.settle.prefill.months));

    const fund = await open('/my-records?kind=housing-fund', { viewport });
    await fund.getByText('月缴存额', { exact: false }).waitFor();
  });

  it('applies for a job of the centre with a note and a CV, and sees it among my applications', async () => {
    const page = await open('/find-jobs', { viewport });
    const card = page.getByRole('listitem').filter({ hasText: jobTitle });
    const already = await card.getByText('已应聘').count();
    if (already === 0) {
      await card.getByRole('button', { name: `应聘：${jobTitle}` }).click();
      await card.getByLabel(/给用人单位的话/).fill('我在本社区住了十年，熟悉情况。');
      await card.locator('input[type="file"]').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: pdfFile() });
      await card.getByRole('button', { name: '提交应聘' }).click();
      await card.getByText('已应聘').waitFor();
    }
    const mine = await client(server.url, residentToken).get('/me/applications');
    expect(mine.body.items).toEqual([expect.objectContaining({ posting: expect.objectContaining({ title: jobTitle }), status: 'applied', hasCv: true, cvKeptUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })]);
    await page.getByRole('heading', { level: 2, name: '我的应聘' }).waitFor();
    await page.getByText('已投递', { exact: false }).waitFor();
    // The resident is told how long their CV is kept, the date the API gives.
    await page.getByText(`您的简历保留至 ${mine.body.items[0].cvKeptUntil}，之后自动删除。`).waitFor();
  });
});

describe.each([
  ['standard', false],
  ['elderly', true],
] as const)('in %s mode', (_mode, elderly) => {
  for (const path of ['/my-records', '/my-records?kind=medical-insurance', '/find-jobs']) {
    it(`${path}: no serious or critical axe violation`, async () => {
      const page = await open(path, { elderly });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
