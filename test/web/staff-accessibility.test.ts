// Every page of the staff side: axe-core (WCAG 2.1 A and AA rules) finds nothing serious or critical, a
// screenshot of each goes to test-output/screenshots/ for review, and the English texts are complete. The
// kiosk's slip is measured in print media: 58 mm wide, the thermal roll's width. A city supervisor's
// dashboard compares the centres.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';
import { launchChromium, openApp, screenshot, type Chromium } from '../support/browser.ts';
import { approveOpenStep, freshIdNumber, residentWithProfile } from '../support/web-fixtures.ts';
import { pngFile } from '../support/files.ts';
import { seriousViolations } from '../support/axe.ts';

const PC = { width: 1280, height: 900 };
const HALL = { width: 1920, height: 1080 };
/** A PDF as a scanner writes one: what the magic-number review looks at is the header. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let server: RunningServer;
let browser: Chromium;
const tokens = { clerk: '', caseworker: '', supervisor: '', city: '', resident: '' };
const ids = { taskId: '', idNumber: '' };

type PageUnderTest = { name: string; path: () => string; as?: keyof typeof tokens; viewport?: { width: number; height: number }; then?: (page: Page) => Promise<void> };

const PAGES: PageUnderTest[] = [
  { name: 'staff-sign-in', path: () => '/staff' },
  { name: 'staff-only', path: () => '/staff/counter', as: 'resident' },
  { name: 'staff-home', path: () => '/staff', as: 'clerk' },
  {
    name: 'staff-counter-resident',
    path: () => '/staff/counter',
    as: 'clerk',
    then: async (page) => {
      await page.keyboard.type(ids.idNumber);
      await page.keyboard.press('Enter');
      await page.locator('.resident-card').waitFor();
      await page.getByLabel('事项', { exact: true }).selectOption('minimum-living-allowance');
    },
  },
  {
    name: 'staff-counter-walk-in',
    path: () => '/staff/counter',
    as: 'clerk',
    then: async (page) => {
      await page.keyboard.type(freshIdNumber());
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: '这个身份证号还没有登记' }).waitFor();
    },
  },
  { name: 'staff-window', path: () => '/staff/window', as: 'clerk' },
  { name: 'staff-tasks', path: () => '/staff/tasks', as: 'caseworker', then: (page) => page.getByRole('link', { name: ids.taskId.slice(0, -5) }).waitFor() },
  {
    name: 'staff-task-pdf',
    path: () => `/staff/tasks/${ids.taskId}`,
    as: 'caseworker',
    then: async (page) => {
      await page.getByRole('button', { name: '查看户口簿' }).click();
      const frame = page.locator('iframe.material-pdf');
      await frame.waitFor();
      expect(await frame.getAttribute('src')).toMatch(/^blob:/);
      expect(await page.locator('.material-view').getAttribute('data-content-type')).toBe('application/pdf');
      // Checked until it holds: the PDF's frame may still shift the form below it when the first click lands.
      for (const label of ['退回补正', '家庭收入证明']) {
        const box = page.getByLabel(label, { exact: true });
        await expect.poll(async () => (await box.check().catch(() => undefined), box.isChecked())).toBe(true);
      }
    },
  },
  { name: 'staff-dashboard', path: () => '/staff/dashboard', as: 'supervisor', then: (page) => page.locator('.chart canvas').first().waitFor() },
  {
    name: 'staff-dashboard-city',
    path: () => '/staff/dashboard',
    as: 'city',
    then: async (page) => {
      await page.locator('.stats-table').waitFor();
      // One row per centre and window, the centres named side by side.
      expect(await page.locator('.stats-table tbody tr').count()).toBe(3 * 6);
      for (const name of ['紫竹院街道便民服务中心', '八里庄街道便民服务中心']) expect(await page.locator('.stats-table').textContent()).toContain(name);
      await page.getByLabel('服务中心').selectOption('balizhuang');
      await page.getByRole('button', { name: '查看' }).click();
      await expect.poll(() => page.locator('.stats-table tbody tr').count()).toBe(6);
    },
  },
  { name: 'staff-notices', path: () => '/staff/notices', as: 'clerk' },
  { name: 'staff-display', path: () => '/display/zizhuyuan', viewport: HALL },
  { name: 'staff-kiosk', path: () => '/kiosk/zizhuyuan', as: 'clerk' },
];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium({ bypassCSP: true })]);
  tokens.clerk = await tokenFor(server.url, 'a11y-clerk', 'staff', { categories: ['social-assistance', 'employment'], name: '张窗口' });
  tokens.caseworker = await tokenFor(server.url, 'a11y-caseworker', 'staff', { categories: ['social-assistance'] });
  tokens.supervisor = await tokenFor(server.url, 'a11y-supervisor', 'supervisor');
  tokens.city = await tokenFor(server.url, 'a11y-city', 'supervisor', { centre: '*' });
  tokens.resident = await residentWithProfile(server.url, 'a11y-staff-resident');
  const resident = client(server.url, tokens.resident);
  ids.idNumber = (await resident.get('/me')).body.idNumber;

  // 低保 with a photographed ID card and a scanned PDF; the income proof is missing, so the caseworker may return it.
  const upload = async (fileName: string, contentType: string, bytes: Buffer) => {
    const slot = (await resident.post('/uploads', { fileName, contentType, size: bytes.length })).body;
    expect((await fetch(slot.url, { method: 'PUT', headers: slot.headers, body: new Uint8Array(bytes) })).status).toBe(200);
    return slot.uploadId as string;
  };
  const materials = [
    { type: 'id-card', uploadId: await upload('id.png', 'image/png', pngFile()) },
    { type: 'household-register', uploadId: await upload('hukou.pdf', 'application/pdf', PDF) },
    { type: 'income-proof', ref: 'paper at the counter' },
  ];
  const created = await resident.post('/cases', { matter: 'minimum-living-allowance', materials });
  expect(created.status).toBe(201);
  ids.taskId = `${created.body.id}-R1S1`;
  const caseworker = client(server.url, tokens.caseworker);
  await vi.waitFor(async () => expect((await caseworker.get('/tasks?status=pending')).body.items.map((t: { id: string }) => t.id)).toContain(ids.taskId), {
    timeout: 20_000,
    interval: 300,
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(target: PageUnderTest, language: 'zh-CN' | 'en' = 'zh-CN') {
  const token = target.as ? tokens[target.as] : undefined;
  const app = await openApp(browser, server.url, target.path(), { viewport: target.viewport ?? PC, language, ...(token ? { token } : {}) });
  await app.page.locator('h1').first().waitFor();
  await app.page.waitForFunction(() => !document.querySelector('.loading'));
  return app;
}

describe('every staff page', () => {
  for (const target of PAGES) {
    it(`${target.name}: no serious or critical axe violation`, async () => {
      const { page, faults } = await openPage(target);
      try {
        await target.then?.(page);
        await screenshot(page, target.name);
        expect(await seriousViolations(page)).toEqual([]);
        expect(faults).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  it('reads in English when chosen: not a Chinese character left on the counter or the dashboard', async () => {
    for (const target of [PAGES[3]!, PAGES[8]!]) {
      const { page } = await openPage(target, 'en');
      await page.locator('h1').filter({ hasText: /Counter|Dashboard/ }).waitFor();
      await page.waitForFunction(() => !document.querySelector('.loading'));
      expect(await page.locator('main').textContent()).not.toMatch(/[\u4e00-\u9fff]/u);
      await page.close();
    }
  });
});

describe('rating follow-ups', () => {
  it('a low rating waits on the supervisor’s dashboard; its page shows the rating and closes with what was done', async () => {
    const resident = client(server.url, tokens.resident);
    const materials = ['id-card', 'labor-contract', 'wage-statement'].map((type) => ({ type, ref: `${type}.jpg` }));
    const created = await resident.post('/cases', { matter: 'social-insurance-backpay', materials });
    await approveOpenStep(server.url, created.body.id, 1);
    await vi.waitFor(async () => expect((await resident.get(`/cases/${created.body.id}`)).body.status).toBe('approved'), { timeout: 20_000, interval: 300 });
    expect((await resident.post(`/cases/${created.body.id}/rating`, { score: 1, comment: '等了很久' })).status).toBe(201);

    const { page, faults } = await openPage(PAGES.find((p) => p.name === 'staff-dashboard')!);
    const followUps = page.locator('section:has(#follow-ups-title)');
    await followUps.getByRole('link', { name: created.body.id }).click();
    await page.getByText('1 分：等了很久').waitFor();
    await page.getByRole('textbox', { name: '回访情况' }).fill('已电话回访，说明了补缴流程');
    await page.getByRole('button', { name: '完成回访' }).click();
    await page.getByText(`${created.body.id} 的差评回访已完成。`).waitFor();
    const queue = await client(server.url, tokens.supervisor).get('/tasks?status=pending');
    expect(queue.body.items.map((t: { id: string }) => t.id)).not.toContain(`${created.body.id}-F1`);
    expect(faults).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the kiosk', () => {
  it('takes an optional ID-card swipe, gives a number at one touch, prints it on a 58 mm slip and is ready for the next person', async () => {
    const { page, faults } = await openPage(PAGES.find((p) => p.name === 'staff-kiosk')!);
    await page.evaluate(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => void (window as unknown as { __printed: number }).__printed++;
    });
    await page.getByLabel(/刷身份证/).focus();
    await page.keyboard.type(ids.idNumber);
    await page.keyboard.press('Enter');
    await page.getByText('已识别：测试居民').waitFor();
    const tile = page.getByRole('button', { name: '就业服务' });
    expect((await tile.boundingBox())!.height).toBeGreaterThanOrEqual(150);
    await tile.click();
    const slip = page.locator('.kiosk-ticket');
    await slip.waitFor();
    expect(await slip.locator('.kiosk-ticket-number').textContent()).toMatch(/^[A-Z]-\d{3}$/);
    expect(await slip.locator('.kiosk-ticket-name').textContent()).toBe('测**民');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
    await screenshot(page, 'staff-kiosk-ticket');

    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => {
      const mm = (() => {
        const probe = document.createElement('div');
        probe.style.width = '58mm';
        document.body.append(probe);
        const width = probe.getBoundingClientRect().width;
        probe.remove();
        return width;
      })();
      const box = document.querySelector('.kiosk-ticket')!.getBoundingClientRect();
      const hidden = [...document.querySelectorAll('.kiosk-screen-only')].every((el) => getComputedStyle(el).display === 'none');
      return { width: box.width, mm58: mm, hidden };
    });
    expect(printed.width).toBeCloseTo(printed.mm58, 0);
    expect(printed.mm58).toBeCloseTo((58 / 25.4) * 96, 0);
    expect(printed.hidden).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: '就业服务' }).waitFor();
    expect(faults).toEqual([]);
    await page.close();
  }, 60_000);
});
