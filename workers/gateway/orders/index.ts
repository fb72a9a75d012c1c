/** `GET /v1/orders/{order_id}`: the order's state, its intake events, its parcels and its message timeline. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { addressResponses, customers, messages, orders, reviewHolds, webhookEvents } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { orderShipments } from '../shipments/of-order';
import { orderView, orderViewSchema } from './schemas';

export const orderRoutes = createRouter();
orderRoutes.use('/v1/orders/*', requireApiKey('read'));

orderRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/orders/{order_id}',
    summary: 'Read an order with its events and message timeline',
    security: [{ apiKey: [] }],
    request: { params: z.object({ order_id: z.string().min(1) }) },
    responses: {
      200: jsonBody(orderViewSchema),
      401: errorResponse('Missing or unknown key'),
      404: errorResponse('No such order in this shop'),
    },
  }),
  async (c) => {
    const shopId = c.get('shopId');
    const orderId = c.req.valid('param').order_id;
    const d = dbFor(c.env, shopId);
    const order = await d.query.orders.findFirst({ where: and(eq(orders.shopId, shopId), eq(orders.id, orderId)) });
    if (!order) throw new ApiError('not_found', 'No such order in this shop');
    const [buyer, events, timeline, answers, parcels, holds] = await Promise.all([
      order.buyerId
        ? d.query.customers.findFirst({ where: and(eq(customers.shopId, shopId), eq(customers.id, order.buyerId)) })
        : undefined,
      d.query.webhookEvents.findMany({
        where: and(eq(webhookEvents.shopId, shopId), eq(webhookEvents.orderId, orderId)),
        orderBy: [asc(webhookEvents.occurredAt), asc(webhookEvents.receivedAt)],
      }),
      d.query.messages.findMany({
        where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
        orderBy: [asc(messages.createdAt)],
      }),
      d.query.addressResponses.findMany({
        where: and(eq(addressResponses.shopId, shopId), eq(addressResponses.orderId, orderId)),
        orderBy: [asc(addressResponses.createdAt)],
      }),
      orderShipments(d, shopId, orderId),
      d.query.reviewHolds.findMany({
        where: and(eq(reviewHolds.shopId, shopId), eq(reviewHolds.orderId, orderId)),
        orderBy: [asc(reviewHolds.createdAt), asc(reviewHolds.id)],
      }),
    ]);
    return c.json(orderView(order, buyer, events, timeline, answers, parcels, holds), 200);
  },
);
