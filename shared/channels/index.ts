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
import {
  providers,
  type Adapter,
  type LookupResult,
  type OutboundMessage,
  type Provider,
  type SendContext,
  type SendResult,
} from './types';
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

/** A stored provider name (e.g. `messages.provider`) that this build has an adapter for. */
export function isProvider(name: string | null | undefined): name is Provider {
  return !!name && (providers as readonly string[]).includes(name);
}

/**
 * A provider's adapter bound to one shop's validated credentials: the one typed way the dispatcher and
 * the reaper call adapters, so neither casts `send` or `lookup` to reach them.
 */
export type ConnectedProvider = {
  provider: Provider;
  /** See `Adapter.idempotent`: only such providers are retried after a call that got no answer. */
  idempotent: boolean;
  send(message: OutboundMessage, ctx: SendContext): Promise<SendResult>;
  /** Absent when the provider cannot look an earlier send up. */
  lookup?: (
    message: OutboundMessage & { providerMessageId?: string | null },
    ctx: SendContext,
  ) => Promise<LookupResult>;
};

/** Whether the provider can look an earlier send up (checked before any credentials are loaded). */
export function canLookUp(provider: Provider): boolean {
  const adapter: Adapter = adapters[provider];
  return typeof adapter.lookup === 'function';
}

/**
 * Validates the shop's stored settings for `provider` with its adapter's zod schema and binds the adapter
 * to them; throws the ZodError otherwise. The credentials are parsed by the same adapter that receives
 * them, which is what lets every adapter be held as `Adapter<Provider, unknown>` here.
 */
export function connectProvider(provider: Provider, stored: unknown): ConnectedProvider {
  const adapter: Adapter = adapters[provider];
  const credentials = adapter.credentials.parse(stored);
  const lookup = adapter.lookup;
  return {
    provider,
    idempotent: adapter.idempotent ?? false,
    send: (message, ctx) => adapter.send(message, credentials, ctx),
    lookup: lookup && ((message, ctx) => lookup.call(adapter, message, credentials, ctx)),
  };
}

/** Whether `provider` can carry messages of `channel`: its own channel, or any channel for `local`. */
export function servesChannel(provider: Provider, channel: Channel): boolean {
  return provider === 'local' || adapters[provider].channel === channel;
}

export { local, webhook, aliyunSms, twilio, resend, cloudflareEmail, wecom, dingtalk };
export * from './types';
