/**
 * `POST /v1/messages/{message_id}/retry` (admin): puts a `dead` or `failed`
 * message back to `queued`, due now, with attempts reset and the reason
 * cleared (last_error is kept as history), audits it in the same batch, and
 * enqueues it for the dispatcher. Any other status answers 409: a message that
 * is queued, sending, sent or delivered must never be sent again by hand.
 *
 * The transition is the outbox's `requeue`, conditional on the status, so two concurrent retries requeue the
 * message once; the loser answers 409 (its audit row still records the attempt).
 * If the enqueue fails, the dispatcher's due scan still finds the queued row.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { messages, type MessageStatus } from '../../../shared/db/schema';
import { requeue } from '../../../shared/delivery/outbox';
import type { DispatchJob } from '../../../shared/delivery/plan';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { detailView, messageDetailSchema } from './schemas';

const RETRYABLE: MessageStatus[] = ['dead', 'failed'];

export const retryRoutes = createRouter();

retryRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/messages/{message_id}/retry',
    summary: 'Retry a dead or failed message',
    description:
      'Back to `queued`, due now, attempts 0, reason cleared; audited and enqueued. The send-time policy runs again at claim.',
    security,
    request: { params: z.object({ message_id: z.string() }) },
    responses: {
      200: jsonBody(messageDetailSchema, 'Requeued'),
      404: errorResponse('No such message in this shop'),
      409: errorResponse('The message is not dead or failed, or its send-by deadline has passed'),
      ...authErrors,
    },
  }),
  async (c) => {
    const shopId = c.get('shopId');
    const id = c.req.valid('param').message_id;
    const d = db(c.env.DB);
    const where = and(eq(messages.shopId, shopId), eq(messages.id, id));
    const current = await d.query.messages.findFirst({ where, columns: { status: true, reason: true, sendBy: true } });
    if (!current) throw new ApiError('not_found', 'No such message in this shop');
    if (!RETRYABLE.includes(current.status)) {
      throw new ApiError('conflict', `Only dead or failed messages can be retried; this one is ${current.status}`);
    }
    const now = new Date();
    if (current.sendBy && current.sendBy.getTime() <= now.getTime()) {
      throw new ApiError(
        'conflict',
        `Its send-by deadline passed at ${current.sendBy.toISOString()}: the text is no longer true, so it is not sent again`,
      );
    }
    const [[row]] = await d.batch([
      requeue(d, shopId, id, RETRYABLE, now),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'message.retry',
          entity: 'messages',
          entityId: id,
          changes: { status: { from: current.status, to: 'queued' }, reason: { from: current.reason, to: null } },
        },
        now,
      ),
    ]);
    if (!row) throw new ApiError('conflict', 'The message changed meanwhile; it is no longer dead or failed');
    const job: DispatchJob = { shopId, messageId: id };
    await c.env.DISPATCH.send(job).catch((error: unknown) => {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'enqueue failed; the due scan will pick it up',
          id,
          error: String(error),
        }),
      );
    });
    return c.json(detailView(row), 200);
  },
);
