/**
 * Every provider's adapter in one exhaustive map: adding a provider to
 * `providers` in ./types.ts without an adapter here (or wiring an adapter
 * under another provider's key) fails to compile. Also the one place that
 * turns a shop's stored provider settings into validated credentials.
 */
import type { z } from 'zod';
import type { Channel } from './channel';
import { aliyunSms } from './aliyun-sms';
import { cloudflareEmail } from './cloudflare-email';
import { dingtalk } from './dingtalk';
import { local } from './local';
import { resend } from './resend';
import { twilio } from './twilio';
import type { Adapter, Provider } from './types';
import { webhook } from './webhook';
import { wecom } from './wecom';

export const adapters = {
  local,
  webhook,
  aliyun_sms: aliyunSms,
  twilio,
  resend,
  cloudflare_email: cloudflareEmail,
  wecom,
  dingtalk,
  // Keyed per provider (not Record<Provider, Adapter<any, any>>) so that each key must hold its own adapter.
} satisfies { [P in Provider]: Adapter<P, any> };

export type Adapters = typeof adapters;
export type CredentialsOf<P extends Provider> = z.infer<Adapters[P]['credentials']>;

export function adapterFor<P extends Provider>(provider: P): Adapters[P] {
  return adapters[provider];
}

/**
 * Validates a shop's settings for `provider` (the decrypted JSON, already
 * parsed) with that provider's zod schema; throws the ZodError otherwise.
 */
export function parseCredentials<P extends Provider>(provider: P, json: unknown): CredentialsOf<P> {
  // TypeScript cannot correlate adapters[P] with P inside a generic body; the map's type guarantees it.
  const schema: z.ZodType = adapters[provider].credentials;
  return schema.parse(json) as CredentialsOf<P>;
}

/** Whether `provider` can carry messages of `channel`: its own channel, or any channel for `local`. */
export function servesChannel(provider: Provider, channel: Channel): boolean {
  return provider === 'local' || adapters[provider].channel === channel;
}

export { local, webhook, aliyunSms, twilio, resend, cloudflareEmail, wecom, dingtalk };
export * from './types';
