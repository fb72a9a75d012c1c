/**
 * Aliyun SMS HTTP batch pushes: SmsReport (delivery receipts) and SmsUp (buyer
 * replies). Each body is a JSON array; the answer is `{"code":0,"msg":"接收成功"}`
 * with HTTP 200, and a 5xx makes Aliyun retry (after 1, 5 and 10 minutes).
 * Docs: SmsReport https://help.aliyun.com/document_detail/101867.html,
 * SmsUp https://help.aliyun.com/zh/sms/developer-reference/smsup-http.
 * Authenticated by the per-shop `?token=` (see ./aliyun-token.ts), checked
 * before the body is parsed.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { db } from '../../../shared/db/client';
import {
  changeConsentMany,
  e164FromAliyun,
  isOptInReply,
  isOptOutReply,
  type ConsentChange,
  type OptOutTarget,
} from '../../../shared/delivery/opt-out';
import { applyReceipts } from '../../../shared/delivery/outbox';
import { createRouter, type AppEnv } from '../../../shared/http/app';
import { ApiError, validationError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { aliyunAck, chinaTime, inboundBodyLimit, MAX_PUSH_ITEMS, parseJson } from './common';
import { validAliyunToken } from './aliyun-token';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const text = z.union([z.string(), z.number()]).transform(String).optional();

const tooMany = (items: unknown[]) => {
  if (items.length > MAX_PUSH_ITEMS) {
    throw new ApiError('payload_too_large', `A push may carry at most ${MAX_PUSH_ITEMS} items`);
  }
};

export const smsReportSchema = z.array(
  z.looseObject({
    phone_number: text,
    success: flag,
    biz_id: text,
    /** The OutId we sent: orderbell's message id. */
    out_id: text,
    send_time: text,
    report_time: text,
    err_code: text,
    err_msg: text,
    sms_size: text,
  }),
);
export const smsUpSchema = z.array(
  z.looseObject({ phone_number: z.string(), content: z.string(), send_time: text, dest_code: text, sequence_id: text }),
);

const request = (schema: z.ZodType) => ({
  params: z.object({ shop_id: z.string() }),
  query: z.object({ token: z.string().openapi({ description: "The shop's Aliyun push token" }) }),
  body: { content: { 'application/json': { schema } }, required: true },
});
const responses = {
  200: jsonBody(z.object({ code: z.literal(0), msg: z.string() }), 'Received'),
  400: errorResponse('Not an array of reports'),
  401: errorResponse('Wrong or missing token, or the shop has no Aliyun credentials'),
  413: errorResponse('Body larger than 1 MB, or more than 1000 items'),
  415: errorResponse('Not JSON'),
};

async function authenticated<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const shopId = c.req.param('shop_id')!;
  if (!(await validAliyunToken(db(c.env.DB), c.env.ENCRYPTION_KEY, shopId, c.req.query('token')))) {
    throw new ApiError('unauthorized', "Wrong or missing token for this shop's Aliyun pushes");
  }
  const items = parseJson(c.req.header('content-type'), await c.req.text(), z.array(z.unknown()));
  tooMany(items);
  const parsed = schema.safeParse(items);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export const aliyunRoutes = createRouter();

aliyunRoutes.openAPIRegistry.registerPath(
  createRoute({
    method: 'post',
    path: '/v1/receipts/{shop_id}/aliyun',
    summary: 'Aliyun SmsReport push (delivery receipts)',
    description:
      '`success` -> delivered, otherwise failed with err_code; matched by out_id (our message id), else biz_id.',
    request: request(smsReportSchema),
    responses,
  }),
);
aliyunRoutes.post('/v1/receipts/:shop_id/aliyun', inboundBodyLimit, async (c) => {
  const reports = await authenticated(c, smsReportSchema);
  const now = new Date();
  await applyReceipts(
    db(c.env.DB),
    c.req.param('shop_id'),
    reports.map((r) => ({
      messageId: r.out_id || undefined,
      providerMessageId: r.biz_id || undefined,
      provider: 'aliyun_sms' as const,
      status: r.success ? ('delivered' as const) : ('failed' as const),
      at: chinaTime(r.report_time, now),
      error: r.success ? undefined : `aliyun ${r.err_code ?? ''} ${r.err_msg ?? ''}`.trim(),
    })),
  );
  return c.json(aliyunAck, 200);
});

aliyunRoutes.openAPIRegistry.registerPath(
  createRoute({
    method: 'post',
    path: '/v1/inbound/{shop_id}/aliyun',
    summary: 'Aliyun SmsUp push (buyer replies)',
    description:
      'A reply that is exactly an opt-out word (TD, T, R, N, 退订, STOP, ...) opts the sender out of SMS; one that is exactly an opt-in word (订阅, 恢复订阅, START, UNSTOP, ...) opts them back in. Both are audited.',
    request: request(smsUpSchema),
    responses,
  }),
);
aliyunRoutes.post('/v1/inbound/:shop_id/aliyun', inboundBodyLimit, async (c) => {
  const replies = await authenticated(c, smsUpSchema);
  // In push order, so a 退订 then a 订阅 from one phone leaves it subscribed, with both audited.
  const changes: { target: OptOutTarget; change: ConsentChange }[] = replies.flatMap((reply) => {
    const phone = e164FromAliyun(reply.phone_number);
    const direction = isOptOutReply(reply.content) ? 'out' : isOptInReply(reply.content) ? 'in' : undefined;
    if (!phone || !direction) return [];
    return [{ target: { phone, channel: 'sms' as const }, change: { direction, source: 'sms_reply:aliyun' as const } }];
  });
  await changeConsentMany(db(c.env.DB), c.req.param('shop_id'), changes);
  return c.json(aliyunAck, 200);
});
