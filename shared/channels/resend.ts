/**
 * Email through Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email).
 * The orderbell message id is the `Idempotency-Key`, so a retry within Resend's
 * 24-hour window returns the first email's id instead of sending again
 * (https://resend.com/docs/dashboard/emails/idempotency-keys). Non-transactional
 * mail carries RFC 8058 one-click unsubscribe headers.
 */
import { ownValue } from '../lang/own';
import { z } from 'zod';
import { partsFor } from './lib/content';
import { call, parseJson } from './lib/http';
import { emailRecipient, mailboxSchema, unsubscribeHeaders } from './lib/mailbox';
import { ProviderError, httpError, type Adapter, type LookupResult } from './types';

export const RESEND_API = 'https://api.resend.com';

export const resendCredentials = z.object({
  apiKey: z.string().regex(/^re_\S+$/, 'must be a Resend API key ("re_...")'),
  from: mailboxSchema,
});
export type ResendCredentials = z.infer<typeof resendCredentials>;

/** Resend's `last_event` values mapped to our states (https://resend.com/docs/api-reference/emails/retrieve-email). */
const lastEvents: Record<string, 'sent' | 'delivered' | 'failed'> = {
  queued: 'sent',
  scheduled: 'sent',
  sent: 'sent',
  delivery_delayed: 'sent',
  delivered: 'delivered',
  opened: 'delivered',
  clicked: 'delivered',
  complained: 'delivered',
  bounced: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

export const resend = {
  provider: 'resend',
  channel: 'email',
  credentials: resendCredentials,
  // Every send carries Idempotency-Key: <message id>.
  idempotent: true,
  async send(message, credentials, ctx) {
    const { subject, html, text } = partsFor('resend', message, 'email');
    const headers = unsubscribeHeaders('resend', message);
    const { response, raw } = await call('resend', ctx, `${RESEND_API}/emails`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${credentials.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': message.id,
      },
      body: JSON.stringify({
        from: credentials.from,
        to: [emailRecipient('resend', message)],
        subject,
        html,
        text,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      }),
    });
    const body = parseJson(raw) as { id?: unknown; name?: unknown } | undefined;
    if (!response.ok) {
      // The first request with this key is still being processed: asking again shortly is safe.
      if (response.status === 409 && body?.name === 'concurrent_idempotent_requests') {
        throw new ProviderError('transient', 'resend is still processing this idempotency key', {
          status: 409,
          code: 'concurrent_idempotent_requests',
          retryAfterMs: 1000,
          raw,
        });
      }
      throw httpError('resend', response, raw);
    }
    // Accepted without an id cannot be recorded; the idempotency key makes asking again safe.
    if (typeof body?.id !== 'string') {
      throw new ProviderError('transient', 'resend accepted the email without an id', { status: response.status, raw });
    }
    return { providerMessageId: body.id, status: 'sent' };
  },
  async lookup(message, credentials, ctx): Promise<LookupResult> {
    if (!message.providerMessageId) return { status: 'unknown' };
    const { response, raw } = await call(
      'resend',
      ctx,
      `${RESEND_API}/emails/${encodeURIComponent(message.providerMessageId)}`,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${credentials.apiKey}` },
      },
    );
    if (!response.ok) throw httpError('resend', response, raw);
    const body = parseJson(raw) as { last_event?: unknown } | undefined;
    const status = ownValue(lastEvents, typeof body?.last_event === 'string' ? body.last_event : undefined);
    return status ? { status, providerMessageId: message.providerMessageId } : { status: 'unknown' };
  },
} satisfies Adapter<'resend', ResendCredentials>;
