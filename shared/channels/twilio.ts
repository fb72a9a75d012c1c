/**
 * Twilio SMS (Programmable Messaging, API 2010-04-01): creates a Message with our
 * status callback URL, and fetches it by SID for the lease reaper.
 * Twilio's Message resource has no client-reference field, so orderbell's message id
 * cannot travel with the request: the reaper can only look a message up by the SID
 * recorded after the 201, and a crash before that leaves the outcome 'unknown'.
 * Docs: https://www.twilio.com/docs/messaging/api/message-resource (create, fetch,
 * status values), https://www.twilio.com/docs/usage/twilios-response (errors),
 * https://www.twilio.com/docs/api/errors/20429 (429 is never processed, safe to retry).
 */
import { ownValue } from '../lang/own';
import { z } from 'zod';
import { httpError, ProviderError, type Adapter, type LookupResult } from './types';

const E164 = /^\+[1-9]\d{6,14}$/;

export const twilioCredentials = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID starts with AC and has 32 hex digits'),
    authToken: z.string().min(1),
    /** A Twilio number in E.164; or use a Messaging Service, which picks the sender. */
    from: z.string().regex(E164, 'from must be an E.164 number').optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID starts with MG')
      .optional(),
    baseUrl: z.url({ protocol: /^https$/ }).default('https://api.twilio.com'),
  })
  .refine((c) => c.from || c.messagingServiceSid, {
    message: 'from or messagingServiceSid is required',
    path: ['from'],
  });
export type TwilioCredentials = z.output<typeof twilioCredentials>;

const messagesUrl = (c: TwilioCredentials) =>
  `${c.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${c.accountSid}/Messages`;
const authorization = (c: TwilioCredentials) => `Basic ${btoa(`${c.accountSid}:${c.authToken}`)}`;

/**
 * Twilio's HTTP status decides: 429 (error 20429) and 5xx are transient with
 * Retry-After, other 4xx permanent (e.g. 21211 invalid To, 21610 unsubscribed
 * recipient, 21408 region not enabled, 20003 bad credentials). The Twilio error
 * code and message from the JSON body are kept for the failure reason.
 */
async function twilioError(res: Response): Promise<ProviderError> {
  const raw = await res.text();
  const base = httpError('twilio', res, raw);
  let body: { code?: number; message?: string } = {};
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return base;
  }
  const transient = base.kind === 'transient' || body.code === 20429;
  const detail = body.code ? `: ${body.code} ${body.message ?? ''}`.trimEnd() : '';
  return new ProviderError(transient ? 'transient' : 'permanent', `${base.message}${detail}`, {
    ...base.options,
    code: body.code ? String(body.code) : undefined,
  });
}

/**
 * Twilio's MessageStatus values mapped to ours (lookups and status callbacks alike). On lookup,
 * anything else (e.g. `scheduled`) exists at Twilio, so it counts as sent.
 */
export const twilioStatuses: Record<string, 'sent' | 'delivered' | 'failed'> = {
  accepted: 'sent',
  queued: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};

export const twilio = {
  provider: 'twilio',
  channel: 'sms',
  credentials: twilioCredentials,
  async send(message, creds, ctx) {
    if (!('body' in message.rendered)) {
      throw new ProviderError('permanent', 'twilio needs rendered SMS content with a body', {
        code: 'invalid_content',
      });
    }
    const form = new URLSearchParams({ To: message.recipient });
    if (creds.messagingServiceSid) form.set('MessagingServiceSid', creds.messagingServiceSid);
    else form.set('From', creds.from!);
    form.set('Body', message.rendered.body);
    if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
    const res = await ctx.fetch(`${messagesUrl(creds)}.json`, {
      method: 'POST',
      headers: { authorization: authorization(creds), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (!res.ok) throw await twilioError(res);
    const created = (await res.json()) as { sid?: string };
    return { providerMessageId: String(created.sid ?? ''), status: 'sent' };
  },
  async lookup(message, creds, ctx): Promise<LookupResult> {
    const sid = message.providerMessageId;
    if (!sid) return { status: 'unknown' };
    const res = await ctx.fetch(`${messagesUrl(creds)}/${encodeURIComponent(sid)}.json`, {
      method: 'GET',
      headers: { authorization: authorization(creds) },
    });
    if (res.status === 404) return { status: 'unknown' };
    if (!res.ok) throw await twilioError(res);
    const fetched = (await res.json()) as { status?: string };
    return { status: ownValue(twilioStatuses, fetched.status) ?? 'sent', providerMessageId: sid };
  },
} satisfies Adapter<'twilio', TwilioCredentials>;
