// The counter over HTTP on the real `npm start` entry: a walk-in without an account is registered from the
// ID card, given a number, called to a window while the hall display shows it, served (a matter declared
// for them at the window) and sent home; later they sign in with their phone and find it all in their account.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idNumberFor } from '../support/appointment-fixtures.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const CARD = { name: '马桂芬', idNumber: idNumberFor(777), phone: '13900007777', community: 'zizhuyuan' };

describe('the counter and the hall over HTTP', () => {
  let server: RunningServer;
  let clerk: ReturnType<typeof client>;
  let hall: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    clerk = client(server.url, await tokenFor(server.url, 'clerk-e2e-counter', 'staff', { categories: ['employment'] }));
    hall = client(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const employment = async () => {
    const res = await hall.get('/display?centre=zizhuyuan');
    return { res, section: res.body.categories.find((c: { category: string }) => c.category === 'employment') };
  };

  it('gives a walk-in a number, calls and serves them with a matter declared at the window, sends them home, and shows it in the hall', async () => {
    const registered = await clerk.post('/residents', CARD);
    expect(registered).toMatchObject({ status: 201, body: { name: '马桂芬', verification: { method: 'counter' } } });
    const userId = registered.body.userId as string;

    const ticket = await clerk.post('/tickets', { category: 'employment', userId }, { 'idempotency-key': 'kiosk-1' });
    const tappedTwice = await clerk.post('/tickets', { category: 'employment', userId }, { 'idempotency-key': 'kiosk-1' });
    expect(ticket).toMatchObject({ status: 201, body: { ticket: 'E-001', status: 'waiting', ahead: 0, centre: 'zizhuyuan' } });
    expect(tappedTwice.body).toEqual(ticket.body);

    const waiting = await employment();
    expect(waiting.res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(waiting.section).toMatchObject({ serving: [], next: ['E-001'], waiting: 1 });

    const called = await clerk.post('/windows/employment/call-next', { window: '4' });
    expect(called).toMatchObject({ status: 200, body: { id: ticket.body.id, ticket: 'E-001', window: '4', status: 'called', name: '马*芬' } });
    const serving = await employment();
    expect(serving.section).toMatchObject({ serving: [{ ticket: 'E-001', window: '4', name: '马*芬' }], next: [], waiting: 0 });
    expect(JSON.stringify(serving.res.body)).not.toContain('马桂芬');

    const declared = await clerk.post(`/residents/${userId}/cases`, {
      matter: 'unemployment-registration',
      materials: [{ type: 'id-card', ref: 'counter://scan/id' }, { type: 'termination-proof', ref: 'counter://scan/termination' }],
    });
    expect(declared).toMatchObject({ status: 201, body: { status: 'submitted' } });
    expect(declared.body.history[0]).toMatchObject({ actor: '就业服务窗口', note: '窗口代办' });
    await vi.waitFor(
      async () => {
        const sms = await hall.get('/_local/outbox?to=13900007777');
        expect(sms.body.map((m: { template: string }) => m.template)).toContain('case-accepted');
      },
      { timeout: 15_000, interval: 100 },
    );

    const done = await clerk.post(`/tickets/${ticket.body.id}/done`);
    expect(done).toMatchObject({ status: 200, body: { status: 'done' } });
    expect((await employment()).section.serving).toEqual([]);
    const swiped = await clerk.get(`/residents?idNumber=${CARD.idNumber}`);
    expect(swiped.body).toMatchObject({ userId, openCases: [{ id: declared.body.id }], todaysTickets: [{ id: ticket.body.id, status: 'done' }] });
    expect(await clerk.post('/windows/employment/call-next', { window: '4' })).toMatchObject({ status: 404, body: { code: 'queue_empty' } });

    const resident = client(server.url, await tokenFor(server.url, 'cognito-ma', 'resident', { phone: '+8613900007777' }));
    const claimed = await resident.post('/me/claim', { idNumber: CARD.idNumber });
    expect(claimed).toMatchObject({ status: 200, body: { name: '马桂芬', idNumber: CARD.idNumber } });
    expect((await resident.get('/cases')).body.items.map((c: { id: string }) => c.id)).toEqual([declared.body.id]);
  });
});
