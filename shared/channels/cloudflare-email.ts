/**
 * Email through the Worker's `send_email` binding, with a raw MIME message in
 * an `EmailMessage` from "cloudflare:email" (the binding's raw-message form:
 * https://developers.cloudflare.com/email-service/api/send-emails/workers-api/).
 * The Message-ID is built from orderbell's message id. The binding has no
 * idempotency key and no lookup, so a send the runtime reports as failed
 * without a code is retried and the dispatcher's retry limit bounds it.
 */
import { EmailMessage } from 'cloudflare:email';
import { z } from 'zod';
import { partsFor } from './lib/content';
import { errorText } from './lib/http';
import { emailRecipient, mailboxSchema, parseMailbox, unsubscribeHeaders } from './lib/mailbox';
import { buildMime } from './lib/mime';
import { ProviderError, type Adapter } from './types';

export const cloudflareEmailCredentials = z.object({ from: mailboxSchema });
export type CloudflareEmailCredentials = z.infer<typeof cloudflareEmailCredentials>;

/** The `EmailMessage` constructor; injectable because tests need to read back the raw MIME. */
export type EmailMessageConstructor = new (from: string, to: string, raw: string) => EmailMessage;

/** Error codes of the binding worth retrying; every other code is permanent. */
const transientCodes = new Set(['E_RATE_LIMIT_EXCEEDED', 'E_DAILY_LIMIT_EXCEEDED', 'E_INTERNAL_SERVER_ERROR']);

export function createCloudflareEmail(Message: EmailMessageConstructor = EmailMessage) {
  return {
    provider: 'cloudflare_email',
    channel: 'email',
    credentials: cloudflareEmailCredentials,
    async send(message, credentials, ctx) {
      const binding = ctx.bindings?.SEND_EMAIL;
      if (!binding) {
        throw new ProviderError(
          'permanent',
          'cloudflare_email needs the send_email binding SEND_EMAIL, and this worker has none',
        );
      }
      const { subject, html, text } = partsFor('cloudflare_email', message, 'email');
      const to = emailRecipient('cloudflare_email', message);
      // The schema has validated it, so it parses.
      const from = parseMailbox(credentials.from)!;
      const raw = buildMime({
        from,
        to,
        subject,
        text,
        html,
        messageId: `${message.id}@${from.address.split('@')[1]}`,
        date: ctx.now(),
        headers: unsubscribeHeaders('cloudflare_email', message),
        boundary: `ob-${message.id}`,
      });
      let result: EmailSendResult | undefined;
      try {
        result = await binding.send(new Message(from.address, to, raw));
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        const transient = typeof code !== 'string' || transientCodes.has(code);
        throw new ProviderError(transient ? 'transient' : 'permanent', `cloudflare_email: ${errorText(err)}`, {
          code: typeof code === 'string' ? code : undefined,
        });
      }
      // Older runtimes resolve without a result; our Message-ID then identifies the email.
      return { providerMessageId: result?.messageId || message.id, status: 'sent' };
    },
  } satisfies Adapter<'cloudflare_email', CloudflareEmailCredentials>;
}

export const cloudflareEmail = createCloudflareEmail();
