/** `POST /v1/webhooks/{shop_id}`: signed order events in, exactly per the intake contract. */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../../shared/http/app';
import { limitBody } from '../../../shared/http/body-limit';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { webhookEventSchema } from '../../../shared/events/webhook';
import { acceptEvent } from './accept';
import { verifyForShop } from './shop-keys';

export const MAX_BODY_BYTES = 256 * 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const route = createRoute({
  method: 'post',
  path: '/v1/webhooks/{shop_id}',
  summary: 'Receive a signed order event',
  description:
    'Standard Webhooks signature over `{webhook-id}.{webhook-timestamp}.{raw body}` with the shop secret; ±5 min tolerance. A repeated `webhook-id` is a no-op.',
  request: {
    params: z.object({ shop_id: z.string() }),
    headers: z.object({ 'webhook-id': z.string(), 'webhook-timestamp': z.string(), 'webhook-signature': z.string() }),
    body: { content: { 'application/json': { schema: webhookEventSchema } }, required: true },
  },
  responses: {
    202: jsonBody(z.object({ status: z.literal('accepted'), event_id: z.string() }), 'Accepted'),
    200: jsonBody(z.object({ status: z.literal('duplicate') }), 'Seen before; nothing changed'),
    400: errorResponse('The body fails validation (`details` carries the paths)'),
    401: errorResponse('Signature missing or wrong, or timestamp outside tolerance'),
    404: errorResponse('Unknown shop'),
    413: errorResponse('Body larger than 256 KB'),
    415: errorResponse('Not JSON'),
  },
});

export const webhooks = createRouter();
// The body must be verified as raw bytes before it is parsed, so the route is
// registered for the document and handled by hand below.
webhooks.openAPIRegistry.registerPath(route);

webhooks.post('/v1/webhooks/:shop_id', limitBody(MAX_BODY_BYTES), async (c) => {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/json');
  }
  const shopId = c.req.param('shop_id');
  const headers = {
    'webhook-id': c.req.header('webhook-id'),
    'webhook-timestamp': c.req.header('webhook-timestamp'),
    'webhook-signature': c.req.header('webhook-signature'),
  };
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const raw = await verifyForShop(c.env, shopId, bytes, headers);

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
  const result = await acceptEvent(c, { id: shopId }, { source: 'native', webhookId: headers['webhook-id']! }, body);
  if (result.status === 'duplicate') return c.json({ status: 'duplicate' as const }, 200);
  return c.json({ status: 'accepted' as const, event_id: result.eventId }, 202);
});
