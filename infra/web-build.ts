// Builds the resident web app (web/ → web/dist) when the build is missing or older than its sources, for
// both consumers of web/dist: the local server (`npm start`) and the CDK app, which deploys it.

import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_SOURCE = 'web';
export const WEB_DIST = 'web/dist';

/** Newest modification time of the files under `dir`, skipping build output and dependencies. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The app bundles code from shared/ (ID-number check, calendar, rating labels), so shared/ counts as source. */
function webBuildIsStale(repoRoot: string): boolean {
  const index = join(repoRoot, WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return newestMtime(join(repoRoot, WEB_SOURCE)) > built || newestMtime(join(repoRoot, 'shared')) > built;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds web/dist if it is stale. Several servers may start at once (the test files do): one builds under
 * a lock file, the others wait for it. The build goes to a directory of its own and is swapped in, so a
 * server that is already serving never sees a half-written dist.
 */
export async function ensureWebBuild(repoRoot: string, log: (line: string) => void = () => undefined): Promise<void> {
  const web = join(repoRoot, WEB_SOURCE);
  const lock = join(web, '.build.lock');
  for (;;) {
    if (!webBuildIsStale(repoRoot)) return;
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8'));
      if (!processAlive(holder)) rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!webBuildIsStale(repoRoot)) return;
    log('building the web app (web/ → web/dist) …');
    const { build } = await import('vite');
    const outDir = join(web, `.dist-${process.pid}`);
    // Always the production build, whoever runs it: Vite reads NODE_ENV, and under vitest it is `test`, which
    // would compile the JSX with every element's source file and line (30 % more script, build paths in the
    // bundle) and add Preact's devtools, into the web/dist that `npm start` and the bench then reuse.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    const dist = join(repoRoot, WEB_DIST);
    const old = join(web, `.dist-old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(outDir, dist);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(lock, { force: true });
  }
}
