import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/domain/catalog.ts';
import { CENTRES, findCentre } from '../../shared/domain/centres.ts';
import { displayMaxAgeSeconds, displaySection, displayView, hallIsOpen, type StoredDisplay } from '../../shared/domain/display.ts';
import {
  afterSkip,
  aheadOf,
  callOrder,
  maskName,
  nearTurn,
  numberPosition,
  rejoinPosition,
  type QueueEntry,
  type ServingEntry,
} from '../../shared/domain/tickets.ts';

const NOW = new Date('2026-12-01T02:00:00.000Z'); // Tuesday 10:00 in Shanghai
const before = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const after = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

const entry = (ticket: string, priority: 1 | 2, position: string, callableAt = before(5), skips = 0): QueueEntry => ({
  ticketId: `T20261201-ZZY-${ticket.replace('-', '')}`,
  ticket,
  sequence: Number(ticket.slice(2)),
  priority,
  position,
  callableAt,
  skips,
});
/** The entries in the order the queue's sort key (WAIT#<priority>#<position>) returns them. */
const sorted = (entries: QueueEntry[]) => [...entries].sort((a, b) => `${a.priority}#${a.position}`.localeCompare(`${b.priority}#${b.position}`));

describe('the queue’s call order', () => {
  it('calls checked-in appointments whose slot has begun, then walk-ins, each by number; an early appointment waits for its slot', () => {
    const queue = sorted([
      entry('S-001', 2, numberPosition(1)),
      entry('S-004', 1, numberPosition(4)),
      entry('S-002', 1, numberPosition(2), after(20)),
      entry('S-003', 2, numberPosition(3)),
      entry('S-010', 2, numberPosition(10)),
    ]);

    expect(callOrder(queue, NOW).map((e) => e.ticket)).toEqual(['S-004', 'S-001', 'S-003', 'S-010']);
    expect(callOrder(queue, new Date(after(20))).map((e) => e.ticket)).toEqual(['S-002', 'S-004', 'S-001', 'S-003', 'S-010']);
    expect(aheadOf(queue, 'T20261201-ZZY-S003', NOW)).toBe(2);
    expect(aheadOf(queue, 'T20261201-ZZY-S002', NOW)).toBeUndefined();
    expect(nearTurn(queue, NOW)?.ticket).toBe('S-003');
  });

  it('puts a rejoined ticket after every number issued so far and before the next one, by a plain sort of its key', () => {
    const rejoined = entry('S-002', 2, rejoinPosition(15, 2), before(5), 1);
    const queue = sorted([entry('S-016', 2, numberPosition(16)), rejoined, entry('S-015', 2, numberPosition(15)), entry('S-009', 2, numberPosition(9))]);

    expect(queue.map((e) => e.ticket)).toEqual(['S-009', 'S-015', 'S-002', 'S-016']);
  });

  it('lets a skipped ticket rejoin once; the next skip removes it', () => {
    expect(afterSkip({ skips: 0 })).toBe('rejoin');
    expect(afterSkip({ skips: 1 })).toBe('removed');
  });

  it('masks names as the hall may show them', () => {
    expect(maskName('李秀英')).toBe('李*英');
    expect(maskName('李英')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('Wang')).toBe('W**g');
    expect(maskName('李')).toBe('*');
  });
});

describe('the hall display', () => {
  const zizhuyuan = findCentre('zizhuyuan')!;
  const serving = (ticket: string, window: string, at: string): ServingEntry => ({ ticketId: ticket, ticket, window, name: '李*英', announcedAt: at });

  it('keeps early appointments beside the head of the queue, so "next" follows the clock between two changes', () => {
    const queue = sorted([
      entry('S-006', 1, numberPosition(6), after(10)),
      entry('S-001', 2, numberPosition(1)),
      entry('S-003', 2, numberPosition(3)),
      entry('S-005', 2, numberPosition(5)),
      entry('S-007', 2, numberPosition(7)),
    ]);
    const stored: StoredDisplay = {
      centre: 'zizhuyuan',
      date: '2026-12-01',
      rev: 1,
      updatedAt: NOW.toISOString(),
      sections: { 'social-insurance': displaySection(queue, [serving('S-002', '3', before(1))], { ticketsCalled: 4, waitMs: 4 * 12 * 60_000 }, NOW) },
    };

    const now = displayView(zizhuyuan, stored, NOW).categories[0]!;
    const later = displayView(zizhuyuan, stored, new Date(after(10))).categories[0]!;

    expect(now).toEqual({
      category: 'social-insurance',
      name: '社会保险',
      serving: [{ ticket: 'S-002', window: '3', name: '李*英', announcedAt: before(1) }],
      next: ['S-001', 'S-003', 'S-005'],
      waiting: 5,
      avgWaitMinutes: 12,
    });
    expect(later.next).toEqual(['S-006', 'S-001', 'S-003']);
  });

  it('shows yesterday’s item as an empty hall', () => {
    const stored: StoredDisplay = { centre: 'zizhuyuan', date: '2026-11-30', rev: 9, updatedAt: before(900), sections: { 'social-insurance': displaySection([entry('S-001', 2, numberPosition(1))], [], { ticketsCalled: 0, waitMs: 0 }, NOW) } };

    const view = displayView(zizhuyuan, stored, NOW);

    expect(view.updatedAt).toBeNull();
    expect(view.categories[0]).toMatchObject({ next: [], waiting: 0, avgWaitMinutes: null });
  });

  it('stays far below 4 KB (one eventually consistent read unit) in the fullest hall it can hold', () => {
    const longest = CENTRES.reduce((a, b) => (Object.keys(a.windows).length >= Object.keys(b.windows).length ? a : b));
    const crowd = Array.from({ length: 200 }, (_, i) => entry(`S-${String(i + 1).padStart(4, '0')}`, i < 100 ? 1 : 2, numberPosition(i + 1), i < 100 ? after(30) : before(5)));
    const counters = Array.from({ length: 20 }, (_, i) => ({ ...serving(`S-${9000 + i}`, `W-${String(i).padStart(6, '0')}`, before(i)), name: '欧阳**娜' }));
    const stored: StoredDisplay = {
      centre: longest.code,
      date: '2026-12-01',
      rev: 123_456,
      updatedAt: NOW.toISOString(),
      sections: Object.fromEntries(CATEGORIES.map((c) => [c.code, displaySection(sorted(crowd), counters, { ticketsCalled: 999, waitMs: 999 * 3_600_000 }, NOW)])),
    };

    expect(Buffer.byteLength(JSON.stringify({ pk: `DISPLAY#${longest.code}`, sk: 'DISPLAY', ...stored }))).toBeLessThan(4000);
  });

  it('lets screens and a CDN reuse an answer 2 s while the hall is open, and up to 5 minutes (not past the opening) while it is closed', () => {
    const at = (iso: string) => new Date(iso);
    expect(hallIsOpen(zizhuyuan, NOW)).toBe(true);
    expect(displayMaxAgeSeconds(zizhuyuan, NOW)).toBe(2);
    // 08:25 Shanghai: the screens come on at 08:30 (half an hour before 09:00).
    expect(displayMaxAgeSeconds(zizhuyuan, at('2026-12-01T00:25:00.000Z'))).toBe(300);
    expect(displayMaxAgeSeconds(zizhuyuan, at('2026-12-01T00:29:00.000Z'))).toBe(60);
    // 17:10 Shanghai, after the 16:30 close and its half hour; and a Saturday.
    expect(displayMaxAgeSeconds(zizhuyuan, at('2026-12-01T09:10:00.000Z'))).toBe(300);
    expect(hallIsOpen(zizhuyuan, at('2026-12-05T02:00:00.000Z'))).toBe(false);
  });
});
