// POST /payments/notify/wechatpay — WeChat Pay's signed notifications (payments and refunds), verified over the
// raw body before anything is read, answered as WeChat Pay expects (200; 401 {code: FAIL} makes it retry).

import { notFound } from '../../shared/domain/errors.ts';
import { notificationHandler } from '../../shared/http/notification-handler.ts';
import { wechatPay } from '../../shared/ports/wechatpay-from-env.ts';
import { acceptNotification } from './lib/notification.ts';

export const handler = notificationHandler('POST /payments/notify/wechatpay', async ({ headers, rawBody }) => {
  if (!wechatPay) throw notFound('WeChat Pay is not offered by this deployment.');
  return acceptNotification('wechatpay', wechatPay, headers, rawBody);
});
