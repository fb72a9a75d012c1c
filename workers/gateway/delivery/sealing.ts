/**
 * What PUT /v1/delivery/providers/{provider} stores and hands back, apart from
 * the route itself: the validated settings sealed for storage (plus the Aliyun
 * push token, kept across saves), and the callback URLs to enter at the
 * provider. Nothing here returns a credential value.
 */
import { z } from '@hono/zod-openapi';
import { ZodError } from 'zod';
import { parseCredentials, providers, type Provider } from '../../../shared/channels';
import { encryptSecret } from '../../../shared/crypto/secret-box';
import type { Db } from '../../../shared/db/client';
import { channels, type ProviderCredential } from '../../../shared/db/schema';
import { loadCredentials } from '../../../shared/delivery/credentials';
import { validationError } from '../../../shared/http/errors';
import { aliyunCallbackUrls, newReceiptToken, RECEIPT_TOKEN_FIELD, tokenOf } from '../inbound/aliyun-token';

/** `local` needs no credentials, so it cannot be configured. */
export type Configurable = Exclude<Provider, 'local'>;
export const configurable = providers.filter((p): p is Configurable => p !== 'local') as [
  Configurable,
  ...Configurable[],
];

export const providerSchema = z
  .object({ provider: z.string(), channel: z.enum(channels), created_at: z.string(), updated_at: z.string() })
  .openapi('ProviderSettings');

export const providerView = (row: ProviderCredential): z.infer<typeof providerSchema> => ({
  provider: row.provider,
  channel: row.channel,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

/** The provider's settings validated by its schema; a ZodError becomes the 400 error shape. */
export function validSettings(provider: Configurable, body: unknown): Record<string, unknown> {
  try {
    return parseCredentials(provider, body) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ZodError) throw validationError(error);
    throw error;
  }
}

/** Seals the settings for storage; for aliyun_sms adds the push token (the stored one, else a new one). */
export async function seal(
  d: Db,
  encryptionKey: string,
  shopId: string,
  provider: Configurable,
  settings: Record<string, unknown>,
): Promise<{ ciphertext: string; receiptToken?: string }> {
  if (provider !== 'aliyun_sms') {
    return { ciphertext: await encryptSecret(encryptionKey, JSON.stringify(settings)) };
  }
  const receiptToken = tokenOf(await loadCredentials(d, encryptionKey, shopId, provider)) ?? newReceiptToken();
  const sealed = { ...settings, [RECEIPT_TOKEN_FIELD]: receiptToken };
  return { ciphertext: await encryptSecret(encryptionKey, JSON.stringify(sealed)), receiptToken };
}

/** URLs to configure at the provider: Aliyun's receipt and reply pushes, Twilio's incoming-message webhook. */
export function callbackUrls(
  origin: string,
  shopId: string,
  provider: Configurable,
  receiptToken?: string,
): Record<string, string> | undefined {
  if (provider === 'aliyun_sms' && receiptToken) return aliyunCallbackUrls(origin, shopId, receiptToken);
  // Twilio's status callback is set per message by the dispatcher (PUBLIC_URL/v1/receipts/{shop_id}).
  if (provider === 'twilio') return { inbound_url: `${origin}/v1/inbound/${shopId}/twilio` };
  return undefined;
}
