// Every page of the app in both display modes: axe-core (WCAG 2.1 A and AA rules) finds nothing serious
// or critical, the elderly mode meets the MIIT 2021 age-friendly rules as measured in the page (text
// 18–30 px, line height ≥ 1.3, tap targets ≥ 60×60 px), focus is visible, and a screenshot of each page
// goes to test-output/screenshots/ for review. Colour contrast is axe's color-contrast rule (4.5:1).

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, isWorkingDay, shanghaiDate } from '../../shared/domain/calendar.ts';
import { previousPeriod } from '../../shared/domain/bills.ts';
import { client, startServer, tempDataDir, tokenFor, type RunningServer } from '../support/local-server.ts';
import { launchChromium, openApp, screenshot, type Chromium } from '../support/browser.ts';
import { pngFile, textFile } from '../support/files.ts';
import { importBill, publishNotice, residentWithProfile } from '../support/web-fixtures.ts';
import { seriousViolations } from '../support/axe.ts';


let server: RunningServer;
let browser: Chromium;
const ids = { caseId: '', appointmentId: '', billId: '', walletBill: { standard: '', elderly: '' } };
const tokens = { resident: '', staff: '' };

type PageUnderTest = { name: string; path: () => string; as?: 'resident' | 'staff'; then?: (page: Page) => Promise<void> };

const PAGES: PageUnderTest[] = [
  { name: 'home', path: () => '/' },
  { name: 'sign-in', path: () => '/sign-in' },
  { name: 'guide', path: () => '/guide' },
  { name: 'community', path: () => '/community' },
  { name: 'not-found', path: () => '/no-such-page' },
  { name: 'home-resident', path: () => '/', as: 'resident' },
  { name: 'profile', path: () => '/profile', as: 'resident' },
  {
    name: 'profile-with-errors',
    path: () => '/profile',
    as: 'resident',
    then: async (page) => {
      await page.getByLabel(/居民身份证号|Resident ID number/).fill('110105194912310021');
      await page.getByRole('button', { name: /保存资料|Save profile/ }).click();
      await page.locator('.error-summary').waitFor();
    },
  },
  { name: 'declare', path: () => '/declare/retirement', as: 'resident' },
  {
    name: 'declare-files',
    path: () => '/declare/retirement',
    as: 'resident',
    then: async (page) => {
      await page.getByLabel(/居民身份证|Resident ID card/).setInputFiles({ name: 'id-card.png', mimeType: 'image/png', buffer: pngFile() });
      await page.getByLabel(/人事档案|Personnel file/).setInputFiles({ name: 'scan.heic', mimeType: 'image/heic', buffer: pngFile() });
    },
  },
  { name: 'cases', path: () => '/my-cases', as: 'resident' },
  { name: 'case-returned', path: () => `/my-cases/${ids.caseId}`, as: 'resident' },
  {
    name: 'book',
    path: () => '/book?category=social-insurance',
    as: 'resident',
    then: async (page) => {
      await page.locator('input[name="date"]').nth(1).check();
      await page.locator('input[name="time"]').first().waitFor();
    },
  },
  { name: 'appointments', path: () => '/my-appointments', as: 'resident' },
  { name: 'ticket', path: () => `/my-appointments/${ids.appointmentId}`, as: 'resident', then: (page) => page.locator('.qr svg').waitFor() },
  { name: 'bills', path: () => '/my-bills', as: 'resident' },
  { name: 'pay', path: () => `/my-bills/${ids.billId}/pay`, as: 'resident' },
  {
    name: 'pay-pending',
    path: () => `/my-bills/${ids.walletBill[currentMode]}/pay`,
    as: 'resident',
    then: async (page) => {
      await page.getByRole('button', { name: /支付|Pay/ }).click();
      await page.locator('.qr svg').waitFor();
    },
  },
  {
    name: 'community-nearest',
    path: () => '/community',
    then: async (page) => {
      await browser.context.grantPermissions(['geolocation'], { origin: server.url });
      await browser.context.setGeolocation({ latitude: 39.9215, longitude: 116.483 });
      await page.getByRole('button', { name: /用我的位置查找|Use my location/ }).click();
      await page.locator('.nearest > li').first().waitFor();
    },
  },
  { name: 'messages', path: () => '/my-messages', as: 'resident' },
  { name: 'preferences', path: () => '/my-messages/settings', as: 'resident' },
  { name: 'residents-only', path: () => '/my-cases', as: 'staff' },
];

beforeAll(async () => {
  // PAYMENT_PROVIDER empty: what `npm start` offers, the wallets against the payment sandbox.
  [server, browser] = await Promise.all([startServer(tempDataDir(), { PAYMENT_PROVIDER: '' }), launchChromium({ bypassCSP: true })]);
  tokens.resident = await residentWithProfile(server.url, 'a11y-resident');
  tokens.staff = await tokenFor(server.url, 'a11y-clerk', 'staff', { categories: ['social-insurance'] });
  const resident = client(server.url, tokens.resident);

  // A retirement case with a real ID card photo and a personnel file that is not the PNG it claims: returned,
  // naming the personnel file and what the review found in it.
  const upload = async (bytes: Buffer) => {
    const slot = (await resident.post('/uploads', { fileName: 'scan.png', contentType: 'image/png', size: bytes.length })).body;
    expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: new Uint8Array(bytes) })).status).toBeLessThan(300);
    return slot.uploadId as string;
  };
  const materials = [
    { type: 'id-card', uploadId: await upload(pngFile()) },
    { type: 'personnel-file', uploadId: await upload(textFile()) },
  ];
  const created = await resident.post('/cases', { matter: 'retirement', materials });
  ids.caseId = created.body.id;
  await vi.waitFor(async () => expect((await resident.get(`/cases/${ids.caseId}`)).body.status).toBe('returned'), { timeout: 15_000 });

  let day = addDays(shanghaiDate(new Date()), 1);
  while (!isWorkingDay(day)) day = addDays(day, 1);
  const slots = await resident.get(`/slots?category=social-insurance&date=${day}`);
  const booked = await resident.post('/appointments', { category: 'social-insurance', date: day, time: slots.body[0].time, matter: 'retirement' });
  ids.appointmentId = booked.body.id;

  const today = shanghaiDate(new Date());
  await importBill(server.url, 'a11y-resident', 12_850, previousPeriod(today), addDays(today, 5));
  ids.billId = (await resident.get('/bills')).body.items[0].id;
  // One bill for each mode's pending wallet payment.
  await importBill(server.url, 'a11y-resident', 9_900, previousPeriod(today), addDays(today, 6), 'gas');
  await importBill(server.url, 'a11y-resident', 7_700, previousPeriod(today), addDays(today, 7), 'phone');
  const bills = (await resident.get('/bills')).body.items as { id: string; kind: string }[];
  ids.walletBill = { standard: bills.find((b) => b.kind === 'gas')!.id, elderly: bills.find((b) => b.kind === 'phone')!.id };
  // Something in the inbox: a community notice (it texts every resident of sunshine-garden).
  await publishNotice(server.url, '3栋停水');
  await vi.waitFor(async () => expect((await resident.get('/me/messages')).body.items.length).toBeGreaterThan(0), { timeout: 15_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(target: PageUnderTest, elderly: boolean): Promise<{ page: Page; faults: string[] }> {
  const token = target.as ? tokens[target.as] : undefined;
  const app = await openApp(browser, server.url, target.path(), { elderly, ...(token ? { token } : {}) });
  await app.page.locator('h1').waitFor();
  await app.page.waitForFunction(() => !document.querySelector('.loading'));
  await target.then?.(app.page);
  return app;
}

/** The age-friendly rules, measured on what is rendered: every text element, every control a finger taps. */
function measureElderlyRules() {
  const visible = (el: Element) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = (el: Element, detail: string) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}" ${detail}`;
  const problems: string[] = [];
  const texts = [...document.body.querySelectorAll('*')].filter(
    (el) => visible(el) && [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''),
  );
  for (const el of texts) {
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const lineHeight = parseFloat(style.lineHeight) / size;
    const display = el.closest('h1, h2, h3, h4, .ticket-number') !== null;
    if (size < 18) problems.push(describe(el, `text ${size}px < 18px`));
    if (!display && size > 30) problems.push(describe(el, `body text ${size}px > 30px`));
    if (!(lineHeight >= 1.3)) problems.push(describe(el, `line height ${style.lineHeight} < 1.3`));
  }
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea')].map((el) =>
    el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? (el.closest('label') ?? el) : el,
  );
  for (const el of controls.filter(visible)) {
    const box = el.getBoundingClientRect();
    if (box.width < 59.5 || box.height < 59.5) problems.push(describe(el, `tap target ${box.width.toFixed(0)}×${box.height.toFixed(0)}px < 60×60`));
  }
  return { problems, texts: texts.length, controls: controls.length };
}

let currentMode: 'standard' | 'elderly' = 'standard';

describe.each([
  ['standard', false],
  ['elderly', true],
] as const)('every page in %s mode', (mode, elderly) => {
  beforeAll(() => {
    currentMode = mode;
  });
  for (const target of PAGES) {
    it(`${target.name}: no serious or critical axe violation${elderly ? ', text, line height and tap targets as the age-friendly rules ask' : ''}`, async () => {
      const { page, faults } = await openPage(target, elderly);
      try {
        expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.mode])).toEqual(['zh-CN', mode]);
        await screenshot(page, `${target.name}-${mode}`);
        if (elderly) {
          const measured = await page.evaluate(measureElderlyRules);
          expect(measured.problems).toEqual([]);
          expect(measured.texts).toBeGreaterThan(5);
          expect(measured.controls).toBeGreaterThan(3);
        }
        expect(await seriousViolations(page)).toEqual([]);
        expect(faults).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe('keyboard', () => {
  it('shows where the focus is: the first Tab lands on the skip link with a visible outline', async () => {
    const { page } = await openPage(PAGES[0]!, false);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { className: el.className, outline: style.outlineStyle, width: parseFloat(style.outlineWidth), top: el.getBoundingClientRect().top };
    });
    expect(focused).toMatchObject({ className: 'skip-link', outline: 'solid' });
    expect(focused.width).toBeGreaterThanOrEqual(2);
    expect(focused.top).toBeGreaterThanOrEqual(0);
    await page.close();
  });
});
