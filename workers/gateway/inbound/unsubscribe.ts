/**
 * Email one-click unsubscribe (RFC 8058). Non-transactional mail carries
 *   List-Unsubscribe: <{PUBLIC_URL}/v1/unsubscribe/{shop_id}/{message_id}>
 *   List-Unsubscribe-Post: List-Unsubscribe=One-Click
 * The message id (`msg_` + 20 base62, ~119 bits) is the unguessable token.
 * POST with `List-Unsubscribe=One-Click` opts the message's buyer (and every
 * customer of the shop with that address) out of email. GET only shows a page
 * with a confirm button: link scanners prefetch URLs, so GET must change nothing.
 * The unsubscribed page carries a one-click re-subscribe button (POST /v1/resubscribe/...).
 * Both directions are audit rows with their source.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { messages } from '../../../shared/db/schema';
import { changeConsent, type OptOutTarget } from '../../../shared/delivery/opt-out';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse } from '../../../shared/http/openapi';

const params = z.object({ shop_id: z.string(), message_id: z.string() });
const oneClick = z.object({ 'List-Unsubscribe': z.literal('One-Click') });
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<meta name="robots" content="noindex"><title>Unsubscribe · 退订</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;

const CONFIRM = page(
  `<h1>退订邮件 · Unsubscribe</h1><p>不再接收本店的营销邮件？<br>Stop receiving these emails from this shop?</p>` +
    `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
    `<button type="submit">确认退订 · Unsubscribe</button></form>`,
);
/** The unsubscribed page offers the way back: one click re-subscribes (POST, so scanners change nothing). */
const done = (shopId: string, messageId: string) =>
  page(
    `<h1>已退订 · Unsubscribed</h1><p>您将不再收到本店的营销邮件。<br>You will get no more of these emails.</p>` +
      `<form method="post" action="/v1/resubscribe/${encodeURIComponent(shopId)}/${encodeURIComponent(messageId)}">` +
      `<input type="hidden" name="resubscribe" value="yes"><button type="submit">点错了，重新订阅 · Re-subscribe</button></form>`,
  );
const RESUBSCRIBED = page(
  `<h1>已重新订阅 · Subscribed again</h1><p>您会继续收到本店的邮件。<br>You will get these emails again.</p>`,
);
const resubscribeForm = z.object({ resubscribe: z.literal('yes') });

async function findMessage(d1: D1Database, shopId: string, messageId: string) {
  const m = await db(d1).query.messages.findFirst({
    where: and(eq(messages.shopId, shopId), eq(messages.id, messageId)),
    columns: { id: true, buyerId: true, channel: true, recipient: true },
  });
  if (!m) throw new ApiError('not_found', 'Unknown unsubscribe link');
  return m;
}

/** The message's buyer, and every customer of the shop with its email address. */
const emailTarget = (m: { buyerId: string | null; channel: string; recipient: string }): OptOutTarget => ({
  buyerId: m.buyerId ?? undefined,
  email: m.channel === 'email' && m.recipient ? m.recipient : undefined,
  channel: 'email',
});

export const unsubscribeRoutes = createRouter();

unsubscribeRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/unsubscribe/{shop_id}/{message_id}',
    summary: 'Unsubscribe confirmation page (changes nothing)',
    request: { params },
    responses: {
      200: html('A page with a confirm button that POSTs the one-click body'),
      404: errorResponse('Unknown link'),
    },
  }),
  async (c) => {
    const { shop_id, message_id } = c.req.valid('param');
    await findMessage(c.env.DB, shop_id, message_id);
    return c.html(CONFIRM, 200);
  },
);

unsubscribeRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/unsubscribe/{shop_id}/{message_id}',
    summary: 'One-click unsubscribe (RFC 8058)',
    description: 'Body `List-Unsubscribe=One-Click`. Opts the buyer out of email; repeating it changes nothing.',
    request: {
      params,
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: oneClick },
          'multipart/form-data': { schema: oneClick },
        },
      },
    },
    responses: {
      200: html('Unsubscribed'),
      400: errorResponse('Body is not List-Unsubscribe=One-Click'),
      404: errorResponse('Unknown link'),
      415: errorResponse('Not a form post'),
    },
  }),
  async (c) => {
    const { shop_id, message_id } = c.req.valid('param');
    const m = await findMessage(c.env.DB, shop_id, message_id);
    await changeConsent(db(c.env.DB), shop_id, emailTarget(m), { direction: 'out', source: 'email_unsubscribe' });
    return c.html(done(shop_id, message_id), 200);
  },
);

unsubscribeRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/resubscribe/{shop_id}/{message_id}',
    summary: 'One-click re-subscribe (the button on the unsubscribed page)',
    description:
      "Body `resubscribe=yes`. Clears the email opt-out of the message's buyer; audited; repeating it changes nothing.",
    request: {
      params,
      body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: resubscribeForm } } },
    },
    responses: {
      200: html('Subscribed again'),
      400: errorResponse('Body is not resubscribe=yes'),
      404: errorResponse('Unknown link'),
      415: errorResponse('Not a form post'),
    },
  }),
  async (c) => {
    const { shop_id, message_id } = c.req.valid('param');
    const m = await findMessage(c.env.DB, shop_id, message_id);
    await changeConsent(db(c.env.DB), shop_id, emailTarget(m), { direction: 'in', source: 'email_resubscribe' });
    return c.html(RESUBSCRIBED, 200);
  },
);
