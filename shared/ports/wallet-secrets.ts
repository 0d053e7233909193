// A wallet merchant's keys and ids, read once at cold start by the functions that talk to that provider: from
// Secrets Manager in AWS (<PROVIDER>_SECRET_ARN, one secret per provider and stage), from a JSON file under
// `npm start` (<PROVIDER>_SECRET_FILE, written by the local payment sandbox). Both hold the same JSON object, the
// adapter's configuration (README, "Real money"). PAYMENT_PROVIDER lists what this deployment offers; a provider
// it lists without keys stops the cold start with the secret's name instead of failing a resident's payment.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { requiredList } from '../config.ts';

export type WalletProviderName = 'wechatpay' | 'alipay';

export const PAYMENT_PROVIDER_NAMES = ['simulated', 'wechatpay', 'alipay'] as const;

/** The providers PAYMENT_PROVIDER names: `simulated`, `wechatpay`, `alipay`, comma-separated. */
export function offeredProviders(): Set<string> {
  const names = requiredList('PAYMENT_PROVIDER');
  const unknown = names.filter((name) => !(PAYMENT_PROVIDER_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`PAYMENT_PROVIDER lists ${PAYMENT_PROVIDER_NAMES.join(', ')}, not ${unknown.join(', ') || 'nothing'}`);
  return new Set(names);
}

const variable = (provider: WalletProviderName, kind: 'ARN' | 'FILE') => `${provider.toUpperCase()}_SECRET_${kind}`;

async function secretString(arn: string): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString) throw new Error(`Secret ${arn} has no string value`);
    return SecretString;
  } finally {
    client.destroy();
  }
}

/** The provider's configuration object, or undefined when PAYMENT_PROVIDER does not offer it. */
export async function walletSecret(provider: WalletProviderName): Promise<{ source: string; value: Record<string, unknown> } | undefined> {
  if (!offeredProviders().has(provider)) return undefined;
  const arn = process.env[variable(provider, 'ARN')];
  const file = process.env[variable(provider, 'FILE')];
  if (!arn && !file) throw new Error(`PAYMENT_PROVIDER offers ${provider} but neither ${variable(provider, 'ARN')} nor ${variable(provider, 'FILE')} is set`);
  const source = arn || file!;
  const text = arn ? await secretString(arn) : readFileSync(file!, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The ${provider} secret ${source} is not a JSON object (README, "Real money": putting a merchant's keys in)`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`The ${provider} secret ${source} is not a JSON object`);
  return { source, value: value as Record<string, unknown> };
}

/** The named string fields of a secret; a missing one stops the cold start, naming the secret and the field. */
export function secretFields<K extends string>(provider: WalletProviderName, secret: { source: string; value: Record<string, unknown> }, names: readonly K[]): Record<K, string> {
  const missing = names.filter((name) => typeof secret.value[name] !== 'string' || secret.value[name] === '');
  if (missing.length > 0) {
    throw new Error(`The ${provider} secret ${secret.source} lacks ${missing.join(', ')}: put the merchant's keys in (README, "Real money")`);
  }
  return Object.fromEntries(names.map((name) => [name, secret.value[name] as string])) as Record<K, string>;
}
