/**
 * `DELETE /v1/customers/{buyer_id}/opt-outs/{channel}` (admin): clears one channel's opt-out of a buyer,
 * for a buyer who asked the shop to hear from it again. Audited (`customer.opt_in`, source `api`, the key).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { channels, customers } from '../../../shared/db/schema';
import { changeConsent } from '../../../shared/delivery/opt-out';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse } from '../../../shared/http/openapi';

export const customerRoutes = createRouter();
customerRoutes.use('/v1/customers/*', requireApiKey('admin'));

customerRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/customers/{buyer_id}/opt-outs/{channel}',
    summary: "Clear a buyer's opt-out of one channel (admin scope)",
    description:
      "The buyer gets messages on the channel again (the other rules still apply). Audited as `customer.opt_in` with source `api`. Only for a buyer who asked: an opt-out is the buyer's decision.",
    security: [{ apiKey: [] }],
    request: { params: z.object({ buyer_id: z.string().min(1).max(128), channel: z.enum(channels) }) },
    responses: {
      204: { description: 'Cleared' },
      400: errorResponse('Unknown channel'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the admin scope'),
      404: errorResponse('No such buyer, or the buyer has not opted out of the channel'),
    },
  }),
  async (c) => {
    const { buyer_id, channel } = c.req.valid('param');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const customer = await d.query.customers.findFirst({
      where: and(eq(customers.shopId, shopId), eq(customers.id, buyer_id)),
      columns: { optedOutChannels: true },
    });
    if (!customer) throw new ApiError('not_found', `No buyer ${buyer_id} in this shop`);
    const change = { direction: 'in', source: 'api', actorKeyId: c.get('apiKeyId') } as const;
    const changed = await changeConsent(d, shopId, { buyerId: buyer_id, channel }, change);
    if (changed === 0) throw new ApiError('not_found', `Buyer ${buyer_id} has not opted out of ${channel}`);
    return c.body(null, 204);
  },
);
