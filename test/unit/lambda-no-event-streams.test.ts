// The stand-in bundled for @smithy/core/event-streams (infra/bundling.ts) must offer every name the SDK takes
// from that module, so a bundle builds and loads, and must fail loudly if an event-stream call ever uses it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as stub from '../../infra/lambda-no-event-streams.ts';

const smithyCore = join(createRequire(import.meta.url).resolve('@smithy/core'), '../..');

describe('the event-stream stand-in of the Lambda bundles', () => {
  it('exports each name the SDK imports from @smithy/core/event-streams', () => {
    const source = readFileSync(join(smithyCore, 'dist-es/submodules/protocols/HttpProtocol.js'), 'utf8');
    const imported = [...source.matchAll(/const \{([^}]+)\} = await import\("@smithy\/core\/event-streams"\)/g)].flatMap((m) => m[1]!.split(',').map((name) => name.trim()));
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(Object.keys(stub), name).toContain(name);
  });

  it('refuses an event-stream operation, saying where the codec went', () => {
    expect(() => new stub.EventStreamSerde()).toThrow(/event-streams alias of infra\/bundling.ts/);
    expect(() => stub.eventStreamSerdeProvider()).toThrow(/not bundled/);
  });
});
