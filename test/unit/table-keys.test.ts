// shared/data/keys.ts is the one place keys are built, and the access-pattern table of shared/data/table.ts
// lists every one of them: the key prefixes of both must be the same set, and no other module may spell a
// key prefix of its own (which is how `TASKS#decided` and `NOTIFICATIONS#DEAD` once went unlisted).

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { part, unpart } from '../../shared/data/keys.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** The code of a source without its comments, which may quote keys to explain them. */
const code = (file: string) => read(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** `CASE#`, `TASKS#pending#`, `COUNTER#TICKET#` …: the fixed leading part of each key a source spells. */
const prefixesIn = (text: string) => new Set([...text.matchAll(/(?<![\w<])([A-Z][A-Z-]*#(?:[a-z]+#)?(?:[A-Z][A-Z-]*#?)?)/g)].map((m) => m[1]!.replace(/#?$/, '#')));

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourcesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('table keys', () => {
  it('lists in the access-pattern table of table.ts exactly the key prefixes keys.ts builds', () => {
    const built = prefixesIn(code('shared/data/keys.ts'));
    const listed = prefixesIn(read('shared/data/table.ts').split('export const TABLE_DEFINITION')[0]!);
    expect(built.size).toBeGreaterThan(20);
    expect([...built].sort()).toEqual([...listed].sort());
  });

  it('builds keys nowhere else: no repository or function spells a key prefix', () => {
    const offenders = [...sourcesUnder('shared'), ...sourcesUnder('functions')]
      .filter((file) => !['shared/data/keys.ts', 'shared/data/table.ts'].includes(file))
      .flatMap((file) => {
        return [...code(file).matchAll(/['`]([A-Z][A-Z-]*#)/g)].map((m) => `${file}: ${m[1]}`);
      });
    expect(offenders).toEqual([]);
  });

  it('escapes the separator inside a caller-controlled key component, so two users never share a key', () => {
    expect(part('vic#k')).not.toBe(part('vic'));
    expect(`${part('vic#k')}#${part('1')}`).not.toBe(`${part('vic')}#${part('k#1')}`);
    for (const value of ['a#b', '%23', '100%', '#', '']) expect(unpart(part(value))).toBe(value);
  });
});
