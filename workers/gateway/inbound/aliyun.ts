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
import { e164FromAliyun, isOptOutReply, optOut } from '../../../shared/delivery/opt-out';
import { applyReceipt } from '../../../shared/delivery/outbox';
import { createRouter, type AppEnv } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { aliyunAck, chinaTime, inboundBodyLimit, parseJson } from './common';
import { validAliyunToken } from './aliyun-token';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const text = z.union([z.string(), z.number()]).transform(String).optional();

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
  413: errorResponse('Body larger than 1 MB'),
  415: errorResponse('Not JSON'),
};

async function authenticated<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const shopId = c.req.param('shop_id')!;
  if (!(await validAliyunToken(db(c.env.DB), c.env.ENCRYPTION_KEY, shopId, c.req.query('token')))) {
    throw new ApiError('unauthorized', "Wrong or missing token for this shop's Aliyun pushes");
  }
  return parseJson(c.req.header('content-type'), await c.req.text(), schema);
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
  const d = db(c.env.DB);
  const now = new Date();
  for (const r of reports) {
    await applyReceipt(d, c.req.param('shop_id'), {
      messageId: r.out_id || undefined,
      providerMessageId: r.biz_id || undefined,
      provider: 'aliyun_sms',
      status: r.success ? 'delivered' : 'failed',
      at: chinaTime(r.report_time, now),
      error: r.success ? undefined : `aliyun ${r.err_code ?? ''} ${r.err_msg ?? ''}`.trim(),
    });
  }
  return c.json(aliyunAck, 200);
});

aliyunRoutes.openAPIRegistry.registerPath(
  createRoute({
    method: 'post',
    path: '/v1/inbound/{shop_id}/aliyun',
    summary: 'Aliyun SmsUp push (buyer replies)',
    description: 'A reply that is exactly an opt-out word (TD, T, R, N, 退订, STOP, ...) opts the sender out of SMS.',
    request: request(smsUpSchema),
    responses,
  }),
);
aliyunRoutes.post('/v1/inbound/:shop_id/aliyun', inboundBodyLimit, async (c) => {
  const replies = await authenticated(c, smsUpSchema);
  const d = db(c.env.DB);
  for (const reply of replies) {
    const phone = e164FromAliyun(reply.phone_number);
    if (phone && isOptOutReply(reply.content)) {
      await optOut(d, c.req.param('shop_id'), { phone, channel: 'sms' });
    }
  }
  return c.json(aliyunAck, 200);
});
