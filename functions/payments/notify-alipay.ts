// POST /payments/notify/alipay — Alipay's signed asynchronous notifications (a form post), verified before
// anything is read, answered as Alipay expects (`success`; `fail` makes it retry).

import { notFound } from '../../shared/domain/errors.ts';
import { notificationHandler } from '../../shared/http/notification-handler.ts';
import { alipay } from '../../shared/ports/alipay-from-env.ts';
import { acceptNotification } from './lib/notification.ts';

export const handler = notificationHandler('POST /payments/notify/alipay', async ({ headers, rawBody }) => {
  if (!alipay) throw notFound('Alipay is not offered by this deployment.');
  return acceptNotification('alipay', alipay, headers, rawBody);
});
