/**
 * The channel adapter interface (after novu's providers): one literal provider
 * tag, a zod schema for the shop's credentials, `send()` returning the
 * provider's message id or throwing a classified ProviderError, and optional
 * hooks to look an outcome up and to parse delivery receipts.
 */
import type { z } from 'zod';
import type { Channel, TemplateContent } from './channel';
import type { MessageKind } from '../templates/kinds';

export const providers = [
  'local',
  'webhook',
  'aliyun_sms',
  'twilio',
  'resend',
  'cloudflare_email',
  'wecom',
  'dingtalk',
] as const;
export type Provider = (typeof providers)[number];

/** What the dispatcher hands an adapter: one claimed message, already rendered. */
export type OutboundMessage = {
  /** orderbell's message id: passed as the provider's reference (OutId, client id, ...). */
  id: string;
  shopId: string;
  orderId: string;
  kind: MessageKind;
  transactional: boolean;
  channel: Channel;
  /** E.164 phone, email address, or URL, as the channel needs. */
  recipient: string;
  rendered: TemplateContent;
  /** The template data the text was rendered from (Aliyun needs its own TemplateParam from it). */
  data: Record<string, unknown>;
  /** For non-transactional email: the one-click unsubscribe URL (RFC 8058). */
  unsubscribeUrl?: string;
  /** Where the provider should post delivery receipts, when it supports that. */
  statusCallbackUrl?: string;
};

export type SendContext = {
  /** Outbound HTTP; injected so tests can assert the exact request and refuse any other. */
  fetch: typeof fetch;
  now: () => Date;
  /** Bindings some providers need (e.g. the `send_email` binding). */
  bindings?: { SEND_EMAIL?: SendEmail };
};

export type SendResult = { providerMessageId: string; status: 'sent' | 'delivered' };

/** Outcome found by looking a message up at the provider (for the lease reaper). */
export type LookupResult =
  { status: 'sent' | 'delivered' | 'failed'; providerMessageId: string } | { status: 'unknown' };

/** A delivery receipt mapped to our states. */
export type Receipt = {
  messageId?: string;
  providerMessageId?: string;
  status: 'sent' | 'delivered' | 'failed';
  at: Date;
  error?: string;
};

export class ProviderError extends Error {
  constructor(
    /** transient: retry later; permanent: this provider will never accept it. */
    readonly kind: 'transient' | 'permanent',
    message: string,
    readonly options: {
      retryAfterMs?: number;
      status?: number;
      code?: string;
      /** Raw upstream body; internal only, never returned to API clients. */ raw?: string;
    } = {},
  ) {
    super(message);
  }
}

export type Adapter<P extends Provider = Provider, C = unknown> = {
  provider: P;
  channel: Channel;
  credentials: z.ZodType<C>;
  /**
   * True when sending the same message again cannot reach the recipient twice
   * (the receiver dedupes on our id, or the API takes an idempotency key).
   * Only such providers are retried after a call that got no answer.
   */
  idempotent?: boolean;
  send(message: OutboundMessage, credentials: C, ctx: SendContext): Promise<SendResult>;
  /** Looks an earlier send up by our message id or the provider's id; absent when the provider cannot. */
  lookup?(
    message: OutboundMessage & { providerMessageId?: string | null },
    credentials: C,
    ctx: SendContext,
  ): Promise<LookupResult>;
};

/** Maps an HTTP status to a ProviderError: 429 and 5xx are transient, other 4xx permanent. */
export function httpError(provider: Provider, response: Response, raw: string): ProviderError {
  const retryAfter = response.headers.get('retry-after');
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const dateMs = retryAfter && seconds === undefined ? Date.parse(retryAfter) - Date.now() : undefined;
  const retryAfterMs = seconds !== undefined ? seconds * 1000 : dateMs !== undefined && dateMs > 0 ? dateMs : undefined;
  const transient = response.status === 429 || response.status === 408 || response.status >= 500;
  return new ProviderError(transient ? 'transient' : 'permanent', `${provider} answered HTTP ${response.status}`, {
    status: response.status,
    retryAfterMs,
    raw,
  });
}
