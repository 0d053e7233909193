// Where a provider sends its notifications: the notify routes of this very API (PAYMENT_NOTIFY_BASE_URL: the
// HTTP API's URL in AWS, the local server's own URL under `npm start`). Read when an order or refund is sent,
// so a function that never sends one needs no such variable.

import { requiredEnv } from '../../../shared/config.ts';
import type { WalletProviderName } from '../../../shared/ports/wallet-secrets.ts';

export const notifyUrlOf = (provider: WalletProviderName) => `${requiredEnv('PAYMENT_NOTIFY_BASE_URL').replace(/\/+$/, '')}/payments/notify/${provider}`;
