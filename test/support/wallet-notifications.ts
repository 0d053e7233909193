// Notifications as WeChat Pay and Alipay would send them, signed with the local payment sandbox's own platform
// keys (read from the server's DATA_DIR), so a test can post the very notification the provider sends, post it
// again, or post one it has changed: a forged body, another amount, another merchant, an old timestamp.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlipayConfig } from '../../shared/ports/alipay-provider.ts';
import { beijingTime, signNotification, yuanOf } from '../../shared/ports/alipay-rsa2.ts';
import type { WechatPayConfig } from '../../shared/ports/wechatpay-provider.ts';
import { beijingRfc3339, encryptResource, signBody, unixSeconds } from '../../shared/ports/wechatpay-v3.ts';

export type SignedNotification = { headers: Record<string, string>; body: string };

const sandboxDir = (dataDir: string) => join(dataDir, 'payment-sandbox');
const read = (dataDir: string, file: string) => readFileSync(join(sandboxDir(dataDir), file), 'utf8');
const merchant = <T>(dataDir: string, provider: 'wechatpay' | 'alipay') => JSON.parse(read(dataDir, `${provider}-merchant.json`)) as T;

export type PaidOrder = { reference: string; amount: number; transactionId?: string; mchid?: string; timestamp?: string };

/** TRANSACTION.SUCCESS for an order, its resource encrypted with the APIv3 key and the whole body signed. */
export function wechatPaidNotification(dataDir: string, order: PaidOrder): SignedNotification {
  const wechat = merchant<WechatPayConfig>(dataDir, 'wechatpay');
  const transaction = {
    appid: wechat.appId,
    mchid: order.mchid ?? wechat.mchId,
    out_trade_no: order.reference,
    transaction_id: order.transactionId ?? `4200${Date.now()}`,
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: beijingRfc3339(new Date().toISOString()),
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: order.amount, payer_total: order.amount, currency: 'CNY', payer_currency: 'CNY' },
  };
  const body = JSON.stringify({
    id: `EV-${order.reference}`,
    create_time: beijingRfc3339(new Date().toISOString()),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: encryptResource(JSON.stringify(transaction), read(dataDir, 'wechatpay-apiv3-key').trim(), 'transaction'),
  });
  const headers = signBody(body, read(dataDir, 'wechatpay-platform-private-key.pem'), wechat.platformPublicKeyId, order.timestamp ?? unixSeconds());
  return { headers: { 'content-type': 'application/json', ...headers }, body };
}

/** trade_status_sync TRADE_SUCCESS for an order: a signed form, as Alipay posts it. */
export function alipayPaidNotification(dataDir: string, order: PaidOrder & { sellerId?: string }): SignedNotification {
  const alipay = merchant<AlipayConfig>(dataDir, 'alipay');
  const fields = signNotification(
    {
      notify_time: beijingTime(Date.now()),
      notify_type: 'trade_status_sync',
      notify_id: `N${Date.now()}`,
      app_id: alipay.appId,
      charset: 'utf-8',
      version: '1.0',
      trade_no: order.transactionId ?? `2026${Date.now()}`,
      out_trade_no: order.reference,
      seller_id: order.sellerId ?? alipay.sellerId,
      trade_status: 'TRADE_SUCCESS',
      total_amount: yuanOf(order.amount),
      gmt_payment: beijingTime(Date.now()),
    },
    read(dataDir, 'alipay-platform-private-key.pem'),
  );
  return { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body: new URLSearchParams({ ...fields, sign_type: 'RSA2' }).toString() };
}

/** The sandbox's books (orders and their refunds), to see how many orders or refunds the provider holds. */
export function sandboxOrders(dataDir: string): { provider: string; reference: string; status: string; refunds: unknown[] }[] {
  return Object.values((JSON.parse(read(dataDir, 'payment-sandbox.json')) as { orders: Record<string, never> }).orders);
}
