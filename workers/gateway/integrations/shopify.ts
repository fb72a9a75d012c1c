/**
 * `POST /v1/integrations/shopify/{shop_id}`: Shopify webhooks. Verified by
 * `X-Shopify-Hmac-Sha256` over the raw body with the app's client secret (the current one or,
 * while a rotation lasts, the one it replaced), checked against the connected shop domain,
 * deduplicated on `X-Shopify-Webhook-Id`, mapped (./shopify-map.ts) and sent down the native intake.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { shipments } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { limitBody } from '../../../shared/http/body-limit';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { shopifySecrets } from '../../../shared/integrations/credentials';
import { acceptEvent, recordIgnored, type Delivery } from '../webhooks/accept';
import { connectedShop, hmacMatches, jsonObject, MAX_PLATFORM_BODY_BYTES } from './receive';
import { mapShopify } from './shopify-map';
import { receipt } from './receipt';

const route = createRoute({
  method: 'post',
  path: '/v1/integrations/shopify/{shop_id}',
  summary: 'Receive a Shopify webhook',
  description:
    'Topics orders/create, orders/paid, orders/cancelled, fulfillments/create, fulfillments/update, fulfillment_events/create and refunds/create become native events; other topics are acknowledged and recorded as ignored. Test orders (`"test": true`) are recorded as ignored.',
  request: {
    params: z.object({ shop_id: z.string() }),
    headers: z.object({
      'x-shopify-hmac-sha256': z.string(),
      'x-shopify-topic': z.string(),
      'x-shopify-webhook-id': z.string(),
      'x-shopify-shop-domain': z.string(),
    }),
    body: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, required: true },
  },
  responses: {
    200: jsonBody(receipt, 'Accepted, a duplicate, or recorded as ignored'),
    400: errorResponse('The mapped event fails the contract schema'),
    401: errorResponse('Signature missing or wrong, or another shop domain'),
    404: errorResponse('Unknown shop, or Shopify not connected'),
    413: errorResponse('Body larger than 1 MB'),
    415: errorResponse('Not JSON'),
  },
});

export const shopifyRoutes = createRouter();
// The HMAC covers the raw bytes, so the route is documented here and handled by hand.
shopifyRoutes.openAPIRegistry.registerPath(route);

shopifyRoutes.post('/v1/integrations/shopify/:shop_id', limitBody(MAX_PLATFORM_BODY_BYTES), async (c) => {
  const { shop, credentials } = await connectedShop(c, 'shopify');
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!(await hmacMatches(raw, c.req.header('x-shopify-hmac-sha256'), shopifySecrets(credentials)))) {
    throw new ApiError('signature_invalid', 'X-Shopify-Hmac-Sha256 does not match the client secret');
  }
  // One app secret signs the webhooks of every store the app is installed on.
  if (c.req.header('x-shopify-shop-domain')?.toLowerCase() !== credentials.shop_domain) {
    throw new ApiError('signature_invalid', 'X-Shopify-Shop-Domain is not the connected shop');
  }
  const webhookId = c.req.header('x-shopify-webhook-id');
  const topic = c.req.header('x-shopify-topic');
  if (!webhookId || webhookId.length > 200 || !topic || topic.length > 100) {
    throw new ApiError('validation_failed', 'X-Shopify-Webhook-Id and X-Shopify-Topic are required', [
      { path: 'headers', message: 'X-Shopify-Webhook-Id and X-Shopify-Topic are required' },
    ]);
  }
  const body = jsonObject(raw);
  const delivery: Delivery = { source: 'shopify', webhookId: `shopify:${webhookId}` };
  const parcels =
    topic === 'fulfillment_events/create' && (typeof body.order_id === 'number' || typeof body.order_id === 'string')
      ? await dbFor(c.env, shop.id)
          .select({ carrier: shipments.carrier, trackingNumber: shipments.trackingNumber })
          .from(shipments)
          .where(and(eq(shipments.shopId, shop.id), eq(shipments.orderId, String(body.order_id))))
          .orderBy(asc(shipments.createdAt))
          .limit(50)
      : [];
  const mapped = mapShopify(topic, body, parcels);
  if ('ignored' in mapped) return c.json(await recordIgnored(c.env, shop, delivery, mapped.ignored), 200);
  const result = await acceptEvent(c, shop, delivery, mapped.event);
  return c.json(result.status === 'accepted' ? { status: result.status, event_id: result.eventId } : result, 200);
});
