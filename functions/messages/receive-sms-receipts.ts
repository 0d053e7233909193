// POST /sms-receipts/{token} — public: the SMS provider pushes its delivery reports here (the URL, token
// included, is configured in the Aliyun console). A report changes a message only once QuerySendDetails
// confirms it (shared/ports/aliyun-sms-receipts.ts), so a forged one changes nothing. Aliyun reads
// {"code":0} as taken; anything else (a 503 while a report cannot be confirmed yet) it sends again later.

import * as api from '../../shared/api/messages.ts';
import { DomainError, notFound, validationFailed } from '../../shared/domain/errors.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { smsReceipts } from '../../shared/ports/sms-receipts-from-env.ts';

export const handler = apiHandler(api.receiveSmsReceipts, async ({ params, body }) => {
  if (!smsReceipts) throw notFound('This deployment receives no SMS delivery reports.');
  const answer = await smsReceipts({ token: params.token, body });
  if (answer.status === 200) return ok(answer.body);
  if (answer.status === 404) throw notFound();
  if (answer.status === 400) throw validationFailed([{ path: '', message: answer.body.msg }], 'Not an array of SmsReport objects.');
  throw new DomainError(503, 'receipts_unconfirmed', 'Reports not confirmed yet', answer.body.msg);
});
