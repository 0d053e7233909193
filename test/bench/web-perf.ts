// The web app's first page as a resident's phone gets it: the JavaScript it loads (gzip, as served over the
// wire) and its first contentful paint in Chromium with the CPU slowed down four times (CDP
// Emulation.setCPUThrottlingRate), the browser cache off so every run is a first visit.

import { gzipSync } from 'node:zlib';
import { launchChromium, PHONE } from '../support/browser.ts';

const RUNS = 10;

export async function measureWebApp(baseUrl: string): Promise<{ jsBytesGzip: number; scripts: string[]; fcpMs: number[] }> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.set(new URL(response.url()).pathname, gzipSync(await response.body(), { level: 9 }).byteLength);
    });
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    await page.close();

    const fcpMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tab = await browser.context.newPage();
      await tab.setViewportSize(PHONE);
      const cdp = await browser.context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await tab.goto(`${baseUrl}/`);
      fcpMs.push(
        await tab.evaluate(
          () =>
            new Promise<number>((resolve) =>
              new PerformanceObserver((list, observer) => {
                const fcp = list.getEntriesByName('first-contentful-paint')[0];
                if (fcp) {
                  observer.disconnect();
                  resolve(fcp.startTime);
                }
              }).observe({ type: 'paint', buffered: true }),
            ),
        ),
      );
      await tab.close();
    }
    return { jsBytesGzip: [...scripts.values()].reduce((a, b) => a + b, 0), scripts: [...scripts.keys()], fcpMs };
  } finally {
    await browser.close();
  }
}
