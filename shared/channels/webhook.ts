/**
 * The webhook channel: a Standard Webhooks-signed POST of the rendered JSON
 * payload to the shop's own system (https://www.standardwebhooks.com). The
 * webhook-id is orderbell's message id, so a receiver that dedupes on it sees
 * a retry as the same delivery.
 */
import { z } from 'zod';
import { signPayload } from '../webhooks/standard-webhooks';
import { partsFor } from './lib/content';
import { call } from './lib/http';
import { httpError, type Adapter } from './types';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const webhookCredentials = z.object({
  url: z.url().refine((text) => {
    const url = new URL(text);
    // Plain HTTP only to a receiver on this machine, for development.
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be an https:// URL (http:// only for 127.0.0.1 or localhost)'),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be a Standard Webhooks secret: "whsec_" then base64')
    .refine((text) => keyBytes(text) >= 24, 'must hold at least 24 bytes of key'),
});
function keyBytes(secret: string): number {
  try {
    return atob(secret.slice('whsec_'.length)).length;
  } catch {
    return 0;
  }
}

export type WebhookCredentials = z.infer<typeof webhookCredentials>;

export const webhook = {
  provider: 'webhook',
  channel: 'webhook',
  credentials: webhookCredentials,
  // Receivers dedupe on webhook-id, which is our message id.
  idempotent: true,
  async send(message, credentials, ctx) {
    const { payload } = partsFor('webhook', message, 'webhook');
    const answer = await call('webhook', ctx, credentials.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signPayload(credentials.secret, message.id, payload, ctx.now()),
      },
      body: payload,
      // A 301/302 would turn the POST into a GET and report success without the payload.
      redirect: 'manual',
    });
    // 410 Gone and other 4xx are permanent; 408, 429 and 5xx transient (httpError), as is a network failure (call).
    if (answer.response.status < 200 || answer.response.status > 299) {
      throw httpError('webhook', answer.response, answer.raw);
    }
    return { providerMessageId: message.id, status: 'delivered' };
  },
} satisfies Adapter<'webhook', WebhookCredentials>;
