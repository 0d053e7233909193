// Test knobs the local provider stand-ins share: answers held back until their caller gives up (how a provider
// timeout is played), and the `{ "times": n }` body of a control request.

/** Requests held unanswered; each is let go when its caller hangs up, after `holdMs`, or by releaseAll. */
export function heldAnswers(holdMs: number) {
  const held = new Set<() => void>();
  return {
    hold(res: { once(event: 'close', listener: () => void): unknown }): Promise<void> {
      return new Promise<void>((done) => {
        const release = () => {
          clearTimeout(timer);
          held.delete(release);
          done();
        };
        const timer = setTimeout(release, holdMs);
        held.add(release);
        res.once('close', release);
      });
    },
    releaseAll() {
      for (const release of [...held]) release();
    },
  };
}

/** The `times` of a control body (1 when absent), or the words of why it is refused. */
export function controlTimes(body: Buffer): { times: number } | { refused: string } {
  let times = 1;
  try {
    const input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { times?: unknown }) : {};
    if (input.times !== undefined) times = Number(input.times);
  } catch {
    return { refused: 'the control body is JSON' };
  }
  if (!Number.isInteger(times) || times < 0 || times > 1000) return { refused: 'times: 0 to 1000' };
  return { times };
}
