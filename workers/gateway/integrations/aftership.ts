/**
 * `POST /v1/integrations/aftership/{shop_id}`: AfterShip tracking webhooks. Verified by
 * `aftership-hmac-sha256` over the raw body with the webhook secret, deduplicated on `event_id`;
 * the parcel is found by `msg.tracking_number` and the update goes down the native intake.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../../shared/http/app';
import { limitBody } from '../../../shared/http/body-limit';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { acceptEvent, recordIgnored, type Delivery } from '../webhooks/accept';
import { parcelByNumber } from './parcels';
import { receipt } from './receipt';
import { connectedShop, hmacMatches, jsonObject, MAX_PLATFORM_BODY_BYTES } from './receive';
import { mapAfterShip } from './tracking-map';

const route = createRoute({
  method: 'post',
  path: '/v1/integrations/aftership/{shop_id}',
  summary: 'Receive an AfterShip tracking webhook',
  description:
    "`tracking_update` events become `shipment.updated` for the shop's parcel with `msg.tracking_number`; `msg.tag` is mapped by the one status table (docs/INTEGRATIONS.md). Other events, unknown parcels and unknown tags are recorded as ignored.",
  request: {
    params: z.object({ shop_id: z.string() }),
    headers: z.object({ 'aftership-hmac-sha256': z.string() }),
    body: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, required: true },
  },
  responses: {
    200: jsonBody(receipt, 'Accepted, a duplicate, or recorded as ignored'),
    400: errorResponse('No event_id, or the mapped event fails the contract schema'),
    401: errorResponse('Signature missing or wrong'),
    404: errorResponse('Unknown shop, or AfterShip not connected'),
    413: errorResponse('Body larger than 1 MB'),
    415: errorResponse('Not JSON'),
  },
});

export const aftershipRoutes = createRouter();
aftershipRoutes.openAPIRegistry.registerPath(route);

aftershipRoutes.post('/v1/integrations/aftership/:shop_id', limitBody(MAX_PLATFORM_BODY_BYTES), async (c) => {
  const { shop, credentials } = await connectedShop(c, 'aftership');
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!(await hmacMatches(raw, c.req.header('aftership-hmac-sha256'), [credentials.webhook_secret]))) {
    throw new ApiError('signature_invalid', 'aftership-hmac-sha256 does not match the webhook secret');
  }
  const body = jsonObject(raw);
  const eventId = typeof body.event_id === 'string' && body.event_id.length <= 100 ? body.event_id : undefined;
  if (!eventId) {
    throw new ApiError('validation_failed', 'event_id is required', [{ path: 'event_id', message: 'required' }]);
  }
  const delivery: Delivery = { source: 'aftership', webhookId: `aftership:${eventId}` };
  const msg = (body.msg ?? {}) as Record<string, unknown>;
  const number = typeof msg.tracking_number === 'string' ? msg.tracking_number.slice(0, 64) : undefined;
  const parcel = number ? await parcelByNumber(c.env, shop.id, number) : undefined;
  const type = `aftership:${String(body.event).slice(0, 50)}`;
  if (body.event !== 'tracking_update') {
    return c.json(await recordIgnored(c.env, shop, delivery, { type, reason: 'event_not_handled' }), 200);
  }
  if (!parcel) return c.json(await recordIgnored(c.env, shop, delivery, { type, reason: 'unknown_parcel' }), 200);
  const mapped = mapAfterShip(body, parcel);
  if ('ignored' in mapped) return c.json(await recordIgnored(c.env, shop, delivery, mapped.ignored), 200);
  const result = await acceptEvent(c, shop, delivery, mapped.event);
  return c.json(result.status === 'accepted' ? { status: result.status, event_id: result.eventId } : result, 200);
});
