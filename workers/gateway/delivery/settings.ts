/**
 * `GET` / `PUT /v1/delivery/settings`: the shop's routing, provider order,
 * frequency budget and consent policy (shared/delivery/settings.ts), stored as
 * JSON in `shops.delivery`. PUT replaces the whole document; absent fields take
 * their defaults, and GET always shows the effective values.
 */
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { servesChannel } from '../../../shared/channels';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { shops, type Channel } from '../../../shared/db/schema';
import { deliverySettings, deliverySettingsSchema, type DeliverySettings } from '../../../shared/delivery/settings';
import { createRouter } from '../../../shared/http/app';
import { ApiError, type ErrorDetail } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from '../messages/auth';

/** Each channel's providers must be able to carry that channel (e.g. no `resend` for sms). */
function providerMismatches(settings: DeliverySettings): ErrorDetail[] {
  return Object.entries(settings.providers).flatMap(([channel, list]) =>
    (list ?? []).flatMap((provider, i) =>
      servesChannel(provider, channel as Channel)
        ? []
        : [{ path: `providers.${channel}.${i}`, message: `${provider} cannot send ${channel} messages` }],
    ),
  );
}

export const settingsRoutes = createRouter();
const path = '/v1/delivery/settings';

settingsRoutes.openapi(
  createRoute({
    method: 'get',
    path,
    summary: 'Read the delivery settings',
    security,
    responses: { 200: jsonBody(deliverySettingsSchema), ...authErrors },
  }),
  async (c) => {
    const shop = await db(c.env.DB).query.shops.findFirst({ where: eq(shops.id, c.get('shopId')) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    return c.json(deliverySettings(shop.delivery), 200);
  },
);

settingsRoutes.openapi(
  createRoute({
    method: 'put',
    path,
    summary: 'Replace the delivery settings (admin scope)',
    description:
      'Channel order per kind, provider order per channel, frequency cap, quiet-hours handling of transactional kinds, promotional consent and the retry limit.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: deliverySettingsSchema } } } },
    responses: { 200: jsonBody(deliverySettingsSchema), 400: errorResponse('Invalid settings'), ...authErrors },
  }),
  async (c) => {
    const settings = c.req.valid('json');
    const mismatches = providerMismatches(settings);
    if (mismatches.length) {
      throw new ApiError('validation_failed', `${mismatches[0]!.path}: ${mismatches[0]!.message}`, mismatches);
    }
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const now = new Date();
    const before = await d.query.shops.findFirst({ where: eq(shops.id, shopId), columns: { delivery: true } });
    if (!before) throw new ApiError('shop_not_found', 'Unknown shop');
    await d.batch([
      d.update(shops).set({ delivery: settings, updatedAt: now }).where(eq(shops.id, shopId)),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'delivery.settings.update',
          entity: 'shops',
          entityId: shopId,
          changes: { delivery: { from: before.delivery ?? null, to: settings } },
        },
        now,
      ),
    ]);
    return c.json(settings, 200);
  },
);
