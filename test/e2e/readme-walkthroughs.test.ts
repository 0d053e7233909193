// The README's walk-throughs, pasted as a new user would: every ```sh walkthrough block, in the README's
// order, in one bash session against a fresh `npm start` (blocks marked NOTIFIER=aliyun against a second one
// started that way). Nothing in them may be stale: no fixed id or date (ids are captured from earlier
// answers, days come from GET /catalog's bookingDays), no unset variable, no answer that is not JSON where
// the block parses one (`set -euo pipefail`). Each curl typed at the prompt must answer the status the README
// writes beside it or on the next line (`# 422 …`, `#   201 {…}`), else a success; each curl inside $(…) or
// a pipe must succeed.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pngFile } from '../support/files.ts';
import { REPO_ROOT, startServer, type RunningServer } from '../support/local-server.ts';

type Block = { line: number; env: Record<string, string>; text: string };
type Call = { status: number; nested: boolean };

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

function walkthroughs(): Block[] {
  const blocks: Block[] = [];
  for (const match of README.matchAll(/^```sh walkthrough((?: \w+=\S+)*)\n([\s\S]*?)^```$/gm)) {
    const env = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
    blocks.push({ line: README.slice(0, match.index).split('\n').length, env, text: match[2]! });
  }
  return blocks;
}

/** The status each curl typed at the prompt expects, in order: the README's `# NNN` beside or under it, if any. */
function promptCurls(text: string): (number | undefined)[] {
  const lines = text.replaceAll(/\\\n/g, ' ').split('\n');
  const expected: (number | undefined)[] = [];
  lines.forEach((line, i) => {
    if (!/^curl\s/.test(line)) return;
    const beside = /\s#\s*(\d{3})\b/.exec(line)?.[1];
    const below = /^#\s+(\d{3})\b/.exec(lines[i + 1] ?? '')?.[1];
    expected.push(Number(beside ?? below) || undefined);
  });
  return expected;
}

// Every curl reports its status on stderr, marked with whether it ran at the prompt or nested in $(…) or a pipe.
const PREAMBLE = `set -euo pipefail
curl() { command curl -sS --write-out "%{stderr}@@status %{http_code} $BASH_SUBSHELL\\n" "$@"; }
`;

async function run(blocks: Block[], api: string): Promise<{ calls: Call[][]; outputs: string[]; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'sc-readme-'));
  // The uploads walk-through sends a photo of an ID card: any PNG.
  writeFileSync(join(cwd, 'id.png'), pngFile());
  const script = PREAMBLE + blocks.map((b, i) => `echo "@@block ${i}"; echo "@@block ${i}" >&2\n${b.text}`).join('\n');
  const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { cwd, env: { ...process.env, API: api }, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  const calls: Call[][] = blocks.map(() => []);
  let block = -1;
  for (const line of stderr.split('\n')) {
    const marker = /^@@block (\d+)$/.exec(line);
    if (marker) block = Number(marker[1]);
    const status = /@@status (\d{3}) (\d+)$/.exec(line);
    if (status) calls[block]!.push({ status: Number(status[1]), nested: status[2] !== '0' });
  }
  const outputs = stdout.split(/@@block \d+\n/).slice(1);
  return { calls, outputs, stderr };
}

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

// Blocks of the same server settings share one server (Map.groupBy needs Node 21).
const groups = new Map<string, Block[]>();
for (const block of walkthroughs()) groups.set(JSON.stringify(block.env), [...(groups.get(JSON.stringify(block.env)) ?? []), block]);

describe('the README walk-throughs', () => {
  it('are there to run: the curl walk-throughs of every part of the platform', () => {
    expect(walkthroughs().length).toBeGreaterThanOrEqual(10);
  });

  for (const [env, blocks] of groups) {
    it(`run as written, in order, against a fresh platform${env === '{}' ? '' : ` with ${env}`}`, async () => {
      // As a user's `npm start`: the test run's PAYMENT_PROVIDER=simulated unset, so the wallets and their sandbox are on.
      const server = await startServer(undefined, { PAYMENT_PROVIDER: '', ...(JSON.parse(env) as Record<string, string>) });
      servers.push(server);

      const { calls, outputs, stderr } = await run(blocks, server.url);

      blocks.forEach((block, i) => {
        const where = `README.md line ${block.line}, which printed:\n${outputs[i]?.slice(0, 3000)}\n`;
        // First the answers a later command uses: a failed one shows here, not as the next command's confusion.
        for (const nested of calls[i]!.filter((c) => c.nested)) expect(nested.status, `${where}: a curl whose answer is used`).toBeLessThan(300);
        const atPrompt = calls[i]!.filter((c) => !c.nested).map((c) => c.status);
        const expected = promptCurls(block.text);
        expect(atPrompt.length, `${where}: curls run at the prompt\n${stderr}`).toBe(expected.length);
        expected.forEach((status, n) => {
          if (status) expect(atPrompt[n], `${where}: curl ${n + 1} at the prompt`).toBe(status);
          else expect(atPrompt[n], `${where}: curl ${n + 1} at the prompt`).toBeLessThan(400);
        });
      });
    }, 300_000);
  }
});
