/**
 * Twilio inbound: message status callbacks (receipts) and incoming SMS replies.
 * Both are form posts signed with the shop's Twilio auth token; the signature is
 * checked over the raw form fields before anything is parsed or stored.
 * The dispatcher passes `${PUBLIC_URL}/v1/receipts/{shop_id}` as StatusCallback,
 * so that path is served too, as an alias of `/v1/receipts/{shop_id}/twilio`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { db } from '../../../shared/db/client';
import { changeConsent, isOptInReply, isOptOutReply } from '../../../shared/delivery/opt-out';
import { applyReceipt } from '../../../shared/delivery/outbox';
import type { AppEnv } from '../../../shared/http/app';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { inboundBodyLimit, parseForm, requireForm, twilioAuthToken } from './common';
import { twilioStatuses } from '../../../shared/channels/twilio';
import { ownValue } from '../../../shared/lang/own';
import { formParams, verifyTwilioSignature } from './twilio-signature';

const statusForm = z.looseObject({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});
const replyForm = z.looseObject({ From: z.string().min(1), Body: z.string().default('') });

const params = z.object({ shop_id: z.string() });
const signed = { 'x-twilio-signature': z.string().optional() };
const authErrors = {
  401: errorResponse('X-Twilio-Signature missing or wrong, or the shop has no Twilio credentials'),
  413: errorResponse('Body larger than 1 MB'),
  415: errorResponse('Not form-encoded'),
};
const formBody = (schema: z.ZodType) => ({
  content: { 'application/x-www-form-urlencoded': { schema } },
  required: true,
});

/** Checks the signature and returns the form fields; throws 401 otherwise. */
async function signedFields(c: Context<AppEnv>): Promise<[string, string][]> {
  requireForm(c.req.header('content-type'));
  // Read as bytes: workerd warns when .text() is called on a form body.
  const fields = formParams(new TextDecoder().decode(await c.req.arrayBuffer()));
  const token = await twilioAuthToken(db(c.env.DB), c.env.ENCRYPTION_KEY, c.req.param('shop_id')!);
  if (!token) throw new ApiError('signature_invalid', 'This shop has no Twilio credentials to verify the signature');
  const header = c.req.header('x-twilio-signature');
  if (!header) throw new ApiError('signature_missing', 'X-Twilio-Signature header is missing');
  if (!(await verifyTwilioSignature(token, c.req.url, fields, header))) {
    throw new ApiError('signature_invalid', 'X-Twilio-Signature does not match this URL and body');
  }
  return fields;
}

export const twilioRoutes = createRouter();

const statusResult = z.object({ status: z.enum(['applied', 'ignored']) });
for (const path of ['/v1/receipts/{shop_id}/twilio', '/v1/receipts/{shop_id}']) {
  twilioRoutes.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path,
      summary: path.endsWith('twilio')
        ? 'Twilio message status callback'
        : 'Twilio status callback (dispatcher default URL)',
      description:
        'Signed with X-Twilio-Signature over this exact public URL. queued/sent -> sent, delivered -> delivered, failed/undelivered -> failed; late or repeated receipts change nothing.',
      request: { params, headers: z.object(signed), body: formBody(statusForm) },
      responses: {
        200: jsonBody(statusResult),
        400: errorResponse('Missing MessageSid or MessageStatus'),
        ...authErrors,
      },
    }),
  );
  twilioRoutes.post(path.replace('{shop_id}', ':shop_id'), inboundBodyLimit, async (c) => {
    const form = parseForm(await signedFields(c), statusForm);
    const status = ownValue(twilioStatuses, form.MessageStatus);
    if (status === undefined) {
      // Recorded in the log and answered 200, so Twilio does not retry a status we do not map.
      const entry = { level: 'warn', msg: 'twilio receipt ignored: unknown status', sid: form.MessageSid.slice(0, 64) };
      console.warn(JSON.stringify({ ...entry, status: form.MessageStatus.slice(0, 32) }));
    }
    const applied =
      status !== undefined &&
      (await applyReceipt(db(c.env.DB), c.req.param('shop_id')!, {
        providerMessageId: form.MessageSid,
        provider: 'twilio',
        status,
        at: new Date(),
        error: form.ErrorCode ? `twilio ${form.ErrorCode} (${form.MessageStatus})` : undefined,
      }));
    return c.json({ status: applied ? ('applied' as const) : ('ignored' as const) }, 200);
  });
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
twilioRoutes.openAPIRegistry.registerPath(
  createRoute({
    method: 'post',
    path: '/v1/inbound/{shop_id}/twilio',
    summary: 'Twilio incoming SMS (buyer replies)',
    description:
      'Configure as the number\'s "A message comes in" webhook. A reply that is exactly an opt-out word (STOP, UNSUBSCRIBE, END, QUIT, CANCEL, STOPALL, R, T, TD, N, 退订) opts the sender out of SMS; an opt-in word (START, UNSTOP, YES, SUBSCRIBE, 订阅) opts them back in. Both are audited. Answers empty TwiML.',
    request: { params, headers: z.object(signed), body: formBody(replyForm) },
    responses: {
      200: { description: 'Empty TwiML', content: { 'text/xml': { schema: z.string() } } },
      400: errorResponse('Missing From'),
      ...authErrors,
    },
  }),
);
twilioRoutes.post('/v1/inbound/:shop_id/twilio', inboundBodyLimit, async (c) => {
  const form = parseForm(await signedFields(c), replyForm);
  const direction = isOptOutReply(form.Body) ? 'out' : isOptInReply(form.Body) ? 'in' : undefined;
  if (direction) {
    const target = { phone: form.From, channel: 'sms' as const };
    await changeConsent(db(c.env.DB), c.req.param('shop_id'), target, { direction, source: 'sms_reply:twilio' });
  }
  return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml; charset=utf-8' });
});
