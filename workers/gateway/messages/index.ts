/**
 * The message API over the outbox: list with filters (newest first, cursor
 * pagination by created_at then id), detail, and retry (./retry.ts). Reads take
 * a `read` key, the retry an `admin` key; the shop is always the key's shop, so
 * another shop's message id answers 404.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { messages } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { after, pageOf } from '../../../shared/http/cursor';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, readOrAdmin, security } from './auth';
import { retryRoutes } from './retry';
import { detailView, listQuerySchema, messageDetailSchema, messageSummarySchema, summaryView } from './schemas';

export const messageRoutes = createRouter();
// `/v1/messages/*` also matches `/v1/messages` itself in Hono.
messageRoutes.use('/v1/messages/*', readOrAdmin);

messageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/messages',
    summary: 'List messages',
    description:
      'Filters combine with AND; `from`/`to` bound `created_at`. Newest first; pass `next_cursor` as `cursor` for the next page.',
    security,
    request: { query: listQuerySchema },
    responses: {
      200: jsonBody(z.object({ data: z.array(messageSummarySchema), next_cursor: z.string().nullable() })),
      400: errorResponse('Unknown filter value or bad cursor'),
      ...authErrors,
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const where: (SQL | undefined)[] = [eq(messages.shopId, c.get('shopId'))];
    if (q.order_id) where.push(eq(messages.orderId, q.order_id));
    if (q.kind) where.push(eq(messages.kind, q.kind));
    if (q.status) where.push(eq(messages.status, q.status));
    if (q.channel) where.push(eq(messages.channel, q.channel));
    if (q.reason) where.push(eq(messages.reason, q.reason));
    if (q.from) where.push(gte(messages.createdAt, new Date(q.from)));
    if (q.to) where.push(lt(messages.createdAt, new Date(q.to)));
    if (q.cursor) where.push(after(q.cursor, messages.createdAt, messages.id));
    const rows = await db(c.env.DB)
      .select()
      .from(messages)
      .where(and(...where))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(q.limit + 1);
    const { page, next } = pageOf(rows, q.limit, (m) => m);
    return c.json({ data: page.map(summaryView), next_cursor: next }, 200);
  },
);

messageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/messages/{message_id}',
    summary: 'Read a message',
    description: 'Status, reason, provider ids, attempts, rendered content and template data. Never credentials.',
    security,
    request: { params: z.object({ message_id: z.string() }) },
    responses: {
      200: jsonBody(messageDetailSchema),
      404: errorResponse('No such message in this shop'),
      ...authErrors,
    },
  }),
  async (c) => {
    const m = await db(c.env.DB).query.messages.findFirst({
      where: and(eq(messages.shopId, c.get('shopId')), eq(messages.id, c.req.valid('param').message_id)),
    });
    if (!m) throw new ApiError('not_found', 'No such message in this shop');
    return c.json(detailView(m), 200);
  },
);

messageRoutes.route('/', retryRoutes);
