// The real `npm start` with NOTIFIER=aliyun, over HTTP: residents' SMS leave through the Aliyun adapter to
// the stand-in mounted under /_sandbox/aliyun-sms/, its signed delivery reports come back to
// POST /sms-receipts/{token}, and the resident reads each message, delivered, in GET /me/messages; staff read
// a case's messages; a resident who chose the inbox for community notices gets no SMS for them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';
import { eventually } from '../support/eventually.ts';

const PHONE = '+8613800138021';
const INBOX_PHONE = '+8613800138022';


describe('messages over HTTP with Aliyun SMS (NOTIFIER=aliyun npm start)', () => {
  let server: RunningServer;
  let resident: ReturnType<typeof client>;
  let inboxFan: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  const sandboxSent = async (phone: string) =>
    (await client(server.url).get(`/_sandbox/aliyun-sms/_control/sent?phone=${encodeURIComponent(phone)}`)).body as { templateCode: string; content: string; status: number }[];
  const messages = async (who: ReturnType<typeof client>) => (await who.get('/me/messages')).body.items as Record<string, any>[];

  beforeAll(async () => {
    server = await startServer(undefined, { NOTIFIER: 'aliyun' });
    resident = client(server.url, await tokenFor(server.url, 'e2e-msg-resident', 'resident'));
    inboxFan = client(server.url, await tokenFor(server.url, 'e2e-msg-inbox', 'resident'));
    staff = client(server.url, await tokenFor(server.url, 'e2e-msg-staff', 'staff', { categories: ['employment'] }));
    const profiles = [
      await resident.put('/me', { name: '孙丽', idNumber: '440524188001010014', phone: PHONE, community: 'sunshine-garden' }),
      await inboxFan.put('/me', { name: '钱军', idNumber: '110105198503150027', phone: INBOX_PHONE, community: 'sunshine-garden' }),
    ];
    expect(profiles.map((p) => p.status)).toEqual([200, 200]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("texts a case's acceptance through Aliyun and shows it delivered once the report came back, to the resident and to staff", async () => {
    const submitted = await resident.post('/cases', { matter: 'unemployment-registration', materials: [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }] });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.id as string;

    const mine = await eventually(() => messages(resident), (items) => items.some((m) => m.reference === caseId && m.status === 'delivered'), 20_000);
    const forStaff = await staff.get(`/cases/${caseId}/messages`);
    const outbox = await client(server.url).get(`/_local/outbox?to=${encodeURIComponent(PHONE)}`);

    expect(mine.find((m) => m.reference === caseId)).toMatchObject({ channel: 'sms', template: 'case-accepted', status: 'delivered', to: PHONE, deliveredAt: expect.any(String) });
    expect((await sandboxSent(PHONE)).map((sms) => sms.templateCode)).toContain('SMS_CASE_ACCEPTED');
    expect(outbox.body).toEqual([]);
    expect(forStaff.status).toBe(200);
    expect(forStaff.body.items).toEqual([expect.objectContaining({ template: 'case-accepted', status: 'delivered', to: '+86138****8021' })]);
  });

  it('texts a weather alert to everyone, and a general notice goes to the inbox of a resident who chose it, not to their phone', async () => {
    const chose = await inboxFan.put('/me/preferences', { billReminders: 'sms', receipts: 'sms', appointmentReminders: 'sms', communityNotices: 'inbox' });
    const notice = (kind: string, title: string) => ({ community: 'sunshine-garden', kind, title, body: '请关注社区通知。', startsAt: new Date().toISOString() });
    const alert = await staff.post('/notices', notice('weather-alert', '暴雨预警'));
    const general = await staff.post('/notices', notice('general', '社区活动'));

    const fanMessages = await eventually(() => messages(inboxFan), (items) => items.some((m) => m.reference === alert.body.id && m.status === 'delivered'), 20_000);

    expect(chose.status).toBe(200);
    expect(fanMessages.find((m) => m.reference === general.body.id)).toMatchObject({ channel: 'inbox', status: 'delivered', template: 'notice-published' });
    expect(fanMessages.find((m) => m.reference === alert.body.id)).toMatchObject({ channel: 'sms', status: 'delivered', template: 'emergency-notice' });
    expect((await sandboxSent(INBOX_PHONE)).map((sms) => sms.templateCode)).toEqual(['SMS_EMERGENCY_NOTICE']);
  });

  it('refuses a delivery report without the secret token of this server', async () => {
    const forged = await client(server.url).post('/sms-receipts/not-the-token', [{ biz_id: '1^0' }]);
    expect(forged.status).toBe(404);
  });
});
