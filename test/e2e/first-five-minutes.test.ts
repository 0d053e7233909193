// What a new user meets first: `npm start` stops with the signal a process manager sends to the pid it sees,
// refuses what it cannot do in one line with a non-zero exit, and logs one line per request with no personal data.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { client, startServer, tempDataDir, tokenFor, type RunningServer } from '../support/local-server.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm start` the way a user does (or the entry it runs, `direct`); its output, exit and listening URL. */
function npmStart(env: Record<string, string>, direct = false) {
  const [command, args] = direct ? [process.execPath, ['--import', 'tsx', 'infra/local/main.ts']] : ['npm', ['start', '--silent']];
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const listening = new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(timer);
        done(match[1]!);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      fail(new Error(`exited before listening:\n${output}`));
    });
  });
  // Refusals exit without listening; only the tests that wait for the URL look at this promise.
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => output };
}

describe('npm start for a new user', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('stops when the pid the user sees (npm) gets SIGTERM: port free, lock gone', async () => {
    const dataDir = tempDataDir();
    const run = npmStart({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const url = await run.listening;
    run.child.kill('SIGTERM');
    const code = await run.exited;

    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);
    expect(code).not.toBe(null);
  });

  it('refuses a second server on the same DATA_DIR in one line, exit code 1', async () => {
    const first = await startServer();
    servers.push(first);
    const second = npmStart({ PORT: '0', DATA_DIR: first.dataDir });
    const code = await second.exited;

    const lines = second.output().trim().split('\n').filter((line) => !line.startsWith('>') && line.trim() !== '');
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^npm start: .* is in use by the local server with pid \d+; stop it or start with another DATA_DIR\.$/)]);
  });

  it('refuses a port in use in one line before starting anything, exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const run = npmStart({ PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'sc-port-')) });
    const code = await run.exited;
    blocker.close();

    expect(code).toBe(1);
    expect(run.output()).toContain(`npm start: port ${port} is in use`);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('says in one line that Java is missing', async () => {
    // The entry npm runs, with a PATH that has no java on it (node lives beside java in /usr/bin here).
    const run = npmStart({ PORT: '0', DATA_DIR: tempDataDir(), PATH: mkdtempSync(join(tmpdir(), 'sc-no-java-')) }, true);
    const code = await run.exited;

    expect(code).toBe(1);
    expect(run.output()).toContain('npm start: Java was not found');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('logs one line per request: method, path, status, time — never the query string', async () => {
    const server = await startServer(tempDataDir(), { LOG_LEVEL: 'info' });
    servers.push(server);
    const staff = client(server.url, await tokenFor(server.url, 'clerk-log', 'staff'));
    await client(server.url).get('/health');
    await staff.get('/residents?idNumber=11010519491231002X');

    // The line is written when the answer has gone out: wait for it rather than race it.
    await vi.waitFor(() => expect(server.output()).toMatch(/^GET \/residents 200 \d+ms$/m), { timeout: 5_000, interval: 50 });
    expect(server.output()).toMatch(/^GET \/health 200 \d+ms$/m);
    expect(server.output()).not.toContain('11010519491231002X');
  });

  it('answers the root with the web app to any client, as curl does it first; other page addresses only to a browser', async () => {
    const server = await startServer(tempDataDir());
    servers.push(server);
    const root = await fetch(`${server.url}/`, { headers: { accept: '*/*' } });
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toContain('text/html');
    expect(await root.text()).toContain('<div id="app">');
    expect((await fetch(`${server.url}/my-bills`, { headers: { accept: '*/*' } })).status).toBe(404);
    expect((await fetch(`${server.url}/my-bills`, { headers: { accept: 'text/html' } })).status).toBe(200);
  });
});
