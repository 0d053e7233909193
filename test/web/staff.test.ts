// The staff side in real browsers against the real local platform: a day at the counter, the window, the
// hall screen, the approval queue and the dashboard, clicked through as the clerks, the caseworker and the
// supervisor would, with the hall display's voice caught by a spy on speechSynthesis. One server and one
// Chromium for the file. No page may open a dialog, throw, or break the Content-Security-Policy.

import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';
import { launchChromium, openApp, screenshot, type AppPage, type Chromium } from '../support/browser.ts';
import { freshIdNumber } from '../support/web-fixtures.ts';
import { pngFile } from '../support/files.ts';
import { announcement } from '../../shared/domain/display.ts';

let server: RunningServer;
let browser: Chromium;
const opened: AppPage[] = [];
const HALL = { width: 1920, height: 1080 };
const PC = { width: 1280, height: 900 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  for (const { faults } of opened) expect(faults).toEqual([]);
  await browser?.close();
  await server?.stop();
});

async function open(path: string, options: Parameters<typeof openApp>[3] = {}): Promise<Page> {
  const app = await openApp(browser, server.url, path, { viewport: PC, ...options });
  opened.push(app);
  return app.page;
}

/** Every utterance the page hands to speechSynthesis, kept in window.__spoken instead of said aloud. */
async function spyOnSpeech(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const spoken: { text: string; lang: string }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    if (!('SpeechSynthesisUtterance' in window)) {
      (window as unknown as { SpeechSynthesisUtterance: unknown }).SpeechSynthesisUtterance = class {
        lang = '';
        rate = 1;
        constructor(public text: string) {}
      };
    }
    const synthesis = { speak: (u: SpeechSynthesisUtterance) => void spoken.push({ text: u.text, lang: u.lang }), cancel: () => undefined };
    Object.defineProperty(window, 'speechSynthesis', { value: synthesis, configurable: true });
  });
}
const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);

/** Reloads the approval queue until the workflow has put the case's step in it. */
async function untilQueued(page: Page, caseId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByRole('heading', { level: 1, name: '审批' }).waitFor();
        return page.getByRole('link', { name: caseId }).count();
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(1);
}

const clerkToken = (sub: string, categories: string[]) => tokenFor(server.url, sub, 'staff', { categories, name: '张窗口' });
const png = () => ({ name: 'scan.png', mimeType: 'image/png', buffer: pngFile() });
const socialAssistance = (stats: { categories: { category: string; submitted: number; approved: number; ticketsIssued: number }[] }) =>
  stats.categories.find((c) => c.category === 'social-assistance')!;

describe('a day at the centre', () => {
  it('a clerk swipes a walk-in, declares 低保 with scanned papers and gives a number; the window calls it, the hall shows and speaks it; the caseworker opens the file and approves; the supervisor approves and sees the numbers move', async () => {
    const supervisorToken = await tokenFor(server.url, 'web-supervisor', 'supervisor', { name: '王主管' });
    const before = socialAssistance((await client(server.url, supervisorToken).get('/stats')).body);

    // The counter: the card reader types 18 characters and Enter into the focused field.
    const clerk = await clerkToken('web-clerk-1', ['social-assistance']);
    const counter = await open('/staff/counter', { token: clerk });
    await counter.getByRole('heading', { level: 1, name: '通办通理' }).waitFor();
    const idNumber = freshIdNumber();
    await counter.keyboard.type(idNumber);
    await counter.keyboard.press('Enter');
    await counter.getByRole('heading', { name: '这个身份证号还没有登记' }).waitFor();
    await counter.getByLabel('姓名').fill('赵桂兰');
    await counter.getByLabel('手机号').fill('13800138321');
    await counter.getByLabel('所在社区代码').fill('zizhuyuan');
    await counter.getByRole('button', { name: '核验并登记' }).click();
    const card = counter.locator('.resident-card');
    await card.getByRole('heading', { name: '赵桂兰' }).waitFor();
    expect(await card.textContent()).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    expect(await card.textContent()).not.toContain(idNumber);

    // 低保 with every paper scanned at the counter.
    await counter.getByLabel('事项', { exact: true }).selectOption('minimum-living-allowance');
    for (const material of ['居民身份证', '户口簿', '家庭收入证明']) await counter.getByLabel(material, { exact: true }).setInputFiles(png());
    await counter.getByRole('button', { name: '上传材料并提交' }).click();
    const declared = counter.getByRole('status').filter({ hasText: '已提交，办件编号' });
    await declared.waitFor({ timeout: 20_000 });
    const caseId = /C\d{8}-\d{4,6}/.exec((await declared.textContent())!)![0];
    await counter.locator('#open-cases ~ ul, section:has(#open-cases)').getByText(caseId).waitFor();

    // A number for the 社会救助 window.
    await counter.getByLabel('窗口', { exact: true }).selectOption('social-assistance');
    await counter.getByRole('button', { name: '取号', exact: true }).click();
    const ticket = (await counter.locator('.issued-ticket .ticket-number').textContent())!.trim();
    expect(ticket).toMatch(/^[A-Z]-\d{3}$/);
    await counter.locator('section:has(#tickets-title)').getByText(ticket).waitFor();
    await screenshot(counter, 'staff-counter');

    // The hall screen, started once.
    const display = await open('/display/zizhuyuan', { viewport: HALL });
    await spyOnSpeech(display);
    await display.reload();
    await display.getByRole('button', { name: /开始/ }).click();
    const section = display.locator('section:has(#hall-social-assistance)');
    await expect.poll(() => section.locator('.hall-next').textContent(), { timeout: 15_000 }).toContain(ticket);

    // The window calls it.
    const window = await open('/staff/window', { token: clerk });
    await window.getByLabel('叫号队列').selectOption('social-assistance');
    await window.getByLabel('窗口号').fill('3');
    await window.getByRole('button', { name: '叫号' }).click();
    await expect.poll(() => window.locator('.serving-number').textContent()).toBe(ticket);
    expect(await window.locator('.serving-name').textContent()).toBe('赵*兰');
    await screenshot(window, 'staff-window');

    const said = announcement(ticket, '3');
    expect(said).toBe(`请${ticket.replace('-', '')}号到3号窗口`);
    await expect.poll(() => spoken(display), { timeout: 15_000 }).toContainEqual({ text: said, lang: 'zh-CN' });
    await section.locator('.hall-fresh').getByText(ticket).waitFor();
    await screenshot(display, 'staff-hall-display');

    // Readable from 5 m at 1920×1080: numbers ≥ 96 px, every other text ≥ 40 px.
    const sizes = await display.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.hall-display *')]
        .filter((e) => e.offsetParent !== null && [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()))
        .map((e) => ({ cls: e.className, size: parseFloat(getComputedStyle(e).fontSize) })),
    );
    expect(sizes.length).toBeGreaterThan(10);
    for (const { cls, size } of sizes) expect(size, cls).toBeGreaterThanOrEqual(40);
    for (const { size } of sizes.filter((s) => s.cls === 'hall-ticket')) expect(size).toBeGreaterThanOrEqual(96);

    // The network drops: the board stays, says so, and resumes by itself; a recall is announced again.
    await browser.context.setOffline(true);
    await display.locator('.hall-offline').waitFor({ timeout: 20_000 });
    expect(await section.locator('.hall-ticket').first().textContent()).toBe(ticket);
    await browser.context.setOffline(false);
    await display.locator('.hall-offline').waitFor({ state: 'detached', timeout: 40_000 });
    await window.getByRole('button', { name: '重呼' }).click();
    await window.getByText('已重新呼叫').waitFor();
    await expect.poll(async () => (await spoken(display)).filter((u) => u.text === said).length, { timeout: 20_000 }).toBe(2);
    await window.getByRole('button', { name: '办结' }).click();
    await window.getByText('已办结').waitFor();

    // The caseworker opens the scanned ID card inline and approves.
    const caseworker = await open('/staff/tasks', { token: await clerkToken('web-caseworker-1', ['social-assistance']) });
    await untilQueued(caseworker, caseId);
    await caseworker.getByRole('link', { name: caseId }).click();
    await caseworker.getByRole('button', { name: '查看居民身份证' }).click();
    const image = caseworker.getByRole('img', { name: '居民身份证' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);
    expect(await caseworker.locator('.timeline').textContent()).toContain('窗口代办');
    await screenshot(caseworker, 'staff-task');
    await caseworker.getByLabel('同意', { exact: true }).check();
    await caseworker.getByRole('textbox', { name: /意见/ }).fill('材料齐全，同意');
    await caseworker.getByRole('button', { name: '提交审批' }).click();
    await caseworker.getByText(`${caseId} 已同意。`).waitFor();

    // The supervisor decides the second step and sees the figures move.
    const supervisor = await open('/staff/tasks', { token: supervisorToken });
    await untilQueued(supervisor, caseId);
    await supervisor.getByRole('link', { name: caseId }).click();
    await supervisor.getByLabel('同意', { exact: true }).check();
    await supervisor.getByRole('button', { name: '提交审批' }).click();
    await supervisor.getByText(`${caseId} 已同意。`).waitFor();

    await supervisor.goto(`${server.url}/staff/dashboard`);
    const row = supervisor.locator('tr[data-category="social-assistance"]');
    const cell = (column: string) => row.locator(`td[data-column="${column}"]`).textContent();
    await expect
      .poll(async () => {
        await supervisor.reload();
        await row.waitFor();
        return [await cell('submitted'), await cell('approved'), await cell('ticketsIssued')];
      }, { timeout: 30_000, interval: 1000 })
      .toEqual([String(before.submitted + 1), String(before.approved + 1), String(before.ticketsIssued + 1)]);
    expect(await supervisor.getByRole('table', { name: '工作人员' }).textContent()).toContain('web-caseworker-1');
    await supervisor.locator('.chart canvas').first().waitFor();
    await screenshot(supervisor, 'staff-dashboard');

    const [download] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByRole('link', { name: '导出 CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFcentre,category,submitted,approved,rejected,returned,onTimeRate,avgHandlingHours,ratings,avgRating,ticketsIssued,ticketsServed,avgWaitMinutes,avgServiceMinutes');
    expect(csv).toContain(`紫竹院街道便民服务中心,社会救助,${before.submitted + 1},${before.approved + 1},`);
  }, 180_000);

  it('two clerks pressing call next at once from two pages call two different numbers', async () => {
    const staff = client(server.url, await clerkToken('web-kiosk', ['employment']));
    for (let i = 0; i < 2; i++) expect((await staff.post('/tickets', { category: 'employment' })).status).toBe(201);
    const pages = await Promise.all(
      ['web-clerk-a', 'web-clerk-b'].map(async (sub, i) => {
        const page = await open('/staff/window', { token: await clerkToken(sub, ['employment']) });
        await page.getByLabel('叫号队列').selectOption('employment');
        await page.getByLabel('窗口号').fill(String(7 + i));
        return page;
      }),
    );
    await Promise.all(pages.map((page) => page.getByRole('button', { name: '叫号' }).click()));
    const called = await Promise.all(
      pages.map(async (page) => {
        await expect.poll(() => page.locator('.serving-number').count()).toBe(1);
        return page.locator('.serving-number').textContent();
      }),
    );
    expect(new Set(called).size).toBe(2);
  }, 60_000);
});
