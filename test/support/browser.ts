// Debian's Chromium (/usr/bin/chromium), driven by playwright-core: never a browser download. One browser
// per test file, headless, with a fresh profile directory and the background services off (they would try
// hosts this machine cannot reach). Helpers open the app as a resident would and record what a page does
// that it must not: a pop-up dialog, a script error, a Content-Security-Policy violation.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type Chromium = { context: BrowserContext; close: () => Promise<void> };

/** `bypassCSP` only where a test injects its own script (axe-core): the page's policy forbids inline scripts. */
export async function launchChromium({ bypassCSP = false } = {}): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'sc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    bypassCSP,
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PHONE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type AppPage = { page: Page; faults: string[] };

/**
 * A new tab on the app with the display settings given (as a resident who chose them earlier would have
 * them remembered), signed in with `token` if given. Every dialog, uncaught error and CSP violation is collected in `faults`.
 */
export async function openApp(
  chromium: Chromium,
  baseUrl: string,
  path: string,
  {
    elderly = false,
    language = 'zh-CN',
    viewport = PHONE,
    token,
  }: { elderly?: boolean; language?: 'zh-CN' | 'en'; viewport?: { width: number; height: number }; token?: string } = {},
): Promise<AppPage> {
  const page = await chromium.context.newPage();
  await page.setViewportSize(viewport);
  const faults: string[] = [];
  page.on('dialog', (dialog) => {
    faults.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => faults.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) faults.push(`csp: ${message.text()}`);
  });
  await page.goto(`${baseUrl}/config.json`);
  await page.evaluate(
    ([elderlyOn, lang, session]) => {
      localStorage.clear();
      localStorage.setItem('sc.elderly', elderlyOn ? 'on' : 'off');
      localStorage.setItem('sc.language', lang!);
      // Signed in already, as after the sign-in page: the journey starts where it is about.
      if (session) sessionStorage.setItem('sc.session', session);
    },
    [elderly, language, token] as const,
  );
  await page.goto(`${baseUrl}${path}`);
  return { page, faults };
}

/** Signs in on the local demo sign-in page as the persona whose button has this text. */
export async function signInAs(page: Page, persona: RegExp): Promise<void> {
  await page.getByRole('button', { name: persona }).click();
  await page.getByRole('button', { name: /退出|Sign out/ }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
