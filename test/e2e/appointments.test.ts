// Appointments over HTTP on the real `npm start` entry: a resident books a numbered place and gets the SMS,
// staff find them by ID-card swipe and see the window's day list, the resident cancels and the place is back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberFor, nextWorkingDay } from '../support/appointment-fixtures.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const ID_NUMBER = '440524188001010014';

describe('appointments over HTTP', () => {
  let server: RunningServer;
  let resident: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  const date = nextWorkingDay();

  beforeAll(async () => {
    server = await startServer();
    resident = client(server.url, await tokenFor(server.url, 'appt-e2e', 'resident'));
    staff = client(server.url, await tokenFor(server.url, 'clerk-e2e', 'staff', { categories: ['housing-civil'] }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('walks a booking from free slots to the SMS, the ID-card swipe, the day list and a cancel that frees the place', async () => {
    const needsProfile = await resident.post('/appointments', { category: 'social-insurance', date, time: '10:30' });
    expect(needsProfile).toMatchObject({ status: 422, body: { code: 'business_rule' } });
    expect((await resident.put('/me', { name: '王五', idNumber: ID_NUMBER, phone: '13800138009', community: 'sunshine-garden' })).status).toBe(200);

    const before = await resident.get(`/slots?category=social-insurance&date=${date}`);
    expect(before.status).toBe(200);
    expect(before.body.find((s: { time: string }) => s.time === '10:30')).toEqual({ time: '10:30', capacity: 3, available: 3 });

    const booked = await resident.post('/appointments', { category: 'social-insurance', date, time: '10:30', matter: 'retirement' }, { 'idempotency-key': 'e2e-appt-1' });
    expect(booked).toMatchObject({ status: 201, body: { ticket: 'S-001', category: 'social-insurance', date, time: '10:30', status: 'booked' } });
    const again = await resident.post('/appointments', { category: 'social-insurance', date, time: '10:30', matter: 'retirement' }, { 'idempotency-key': 'e2e-appt-1' });
    expect(again.body).toEqual(booked.body);
    expect((await resident.post('/appointments', { category: 'social-insurance', date, time: '13:30' })).body.code).toBe('duplicate_appointment');
    // Another window the same day is fine; it is cancelled at once to keep this walk about one booking.
    const otherWindow = await resident.post('/appointments', { category: 'employment', date, time: '13:30' });
    expect(otherWindow.status).toBe(201);
    expect((await resident.delete(`/appointments/${otherWindow.body.id}`)).status).toBe(204);

    const sms = (await client(server.url).get('/_local/outbox?to=13800138009')).body.filter((m: { reference: string }) => m.reference === booked.body.id);
    expect(sms).toHaveLength(1);
    expect(sms[0].body).toContain('社会保险窗口，号码S-001');

    const swiped = await staff.get(`/residents?idNumber=${ID_NUMBER}`);
    expect(swiped).toMatchObject({ status: 200, body: { userId: 'appt-e2e', name: '王五', idNumber: '440524********0014', phone: '+86138****8009' } });
    expect(swiped.body.todaysAppointments).toEqual([]);
    expect((await resident.get(`/residents?idNumber=${ID_NUMBER}`)).status).toBe(403);

    const dayList = await staff.get(`/appointments?category=social-insurance&date=${date}`);
    expect(dayList.body.items).toMatchObject([{ id: booked.body.id, ticket: 'S-001', residentName: '王五', status: 'booked' }]);
    expect((await staff.post(`/appointments/${booked.body.id}/check-in`)).status).toBe(422);

    const mine = (await resident.get('/appointments')).body.items.find((a: { id: string }) => a.id === booked.body.id);
    expect(mine).toMatchObject({ status: 'booked' });
    expect((await resident.delete(`/appointments/${booked.body.id}`)).status).toBe(204);
    expect((await resident.delete(`/appointments/${booked.body.id}`)).body.code).toBe('invalid_state');
    const after = await resident.get(`/slots?category=social-insurance&date=${date}`);
    expect(after.body.find((s: { time: string }) => s.time === '10:30').available).toBe(3);
    expect((await resident.get('/appointments')).body.items.map((a: { status: string }) => a.status)).toEqual(['cancelled', 'cancelled']);
  });

  it("answers another resident's cancel with 404 over HTTP", async () => {
    const owner = client(server.url, await tokenFor(server.url, 'appt-owner', 'resident'));
    await owner.put('/me', { name: '钱七', idNumber: idNumberFor(7), phone: '13800138010', community: 'sunshine-garden' });
    const booked = await owner.post('/appointments', { category: 'employment', date, time: '09:00' });
    expect(booked.status).toBe(201);

    const foreign = await resident.delete(`/appointments/${booked.body.id}`);

    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(foreign.headers.get('content-type')).toBe('application/problem+json');
  });
});
