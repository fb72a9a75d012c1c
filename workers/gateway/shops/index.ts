/**
 * Shops: creation by the operator, settings for the shop's own key, and webhook
 * secret rotation. The shop is always the one of the authenticated key.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { auditInsert } from '../../../shared/db/audit';
import { rescheduleFlows } from '../runs/flows';
import { apiKeys, shops } from '../../../shared/db/schema';
import { newId } from '../../../shared/crypto/random';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey, requireOperator } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { newApiKey } from '../api-keys/issue';
import { createdShopSchema, createShopSchema, patchShopSchema, shopColumns, shopSchema, shopView } from './schemas';
import { sealNewSecret } from './secrets';
import { forgetShopKeys } from '../webhooks/shop-keys';

export const shopRoutes = createRouter();

/** Settings that move pending reminder due times. */
const schedulingKeys = [
  'timezone',
  'shipping_cutoff',
  'non_shipping_days',
  'reminder_lead_minutes',
  'reminder_min_order_age_minutes',
  'quiet_hours',
  'reminders',
] as const;

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const authErrors = { 401: errorResponse('Missing or unknown credentials'), 403: errorResponse('Key lacks the scope') };

shopRoutes.use('/v1/shops', requireOperator);
shopRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/shops',
    summary: 'Create a shop (operator)',
    description: 'Returns the admin API key and the webhook secret. They are shown only this once.',
    security: [{ operatorToken: [] }],
    request: { body: json(createShopSchema) },
    responses: { 201: jsonBody(createdShopSchema, 'Created'), 400: errorResponse('Invalid body'), ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const d = db(c.env.DB);
    const now = new Date();
    const shopId = newId('shop');
    const secret = await sealNewSecret(c.env);
    const apiKey = await newApiKey(shopId, 'admin (created with the shop)', ['admin'], now);
    await d.batch([
      d.insert(shops).values({
        id: shopId,
        name: body.name,
        timezone: body.timezone,
        webhookSecretEnc: secret.sealed,
        createdAt: now,
        updatedAt: now,
      }),
      d.insert(apiKeys).values(apiKey.row),
      auditInsert(d, { shopId, actorKeyId: null, action: 'shop.create', entity: 'shops', entityId: shopId }, now),
    ]);
    return c.json({ shop_id: shopId, api_key: apiKey.key, webhook_secret: secret.secret }, 201);
  },
);

async function loadShop(d1: D1Database, shopId: string) {
  const shop = await db(d1).query.shops.findFirst({ where: eq(shops.id, shopId) });
  if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
  return shop;
}

shopRoutes.use('/v1/shop', async (c, next) => requireApiKey(c.req.method === 'GET' ? 'read' : 'admin')(c, next));
shopRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/shop',
    summary: 'Read the shop settings',
    security: [{ apiKey: [] }],
    responses: { 200: jsonBody(shopSchema), ...authErrors },
  }),
  async (c) => c.json(shopView(await loadShop(c.env.DB, c.get('shopId'))), 200),
);

shopRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/v1/shop',
    summary: 'Change shop settings (admin scope)',
    security: [{ apiKey: [] }],
    request: { body: json(patchShopSchema) },
    responses: { 200: jsonBody(shopSchema), 400: errorResponse('Invalid settings'), ...authErrors },
  }),
  async (c) => {
    const patch = c.req.valid('json');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const now = new Date();
    const [updated] = await d.batch([
      d
        .update(shops)
        .set({
          ...shopColumns(patch),
          updatedAt: now,
        })
        .where(eq(shops.id, shopId))
        .returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'shop.update',
          entity: 'shops',
          entityId: shopId,
          changes: patch,
        },
        now,
      ),
    ]);
    const shop = updated[0];
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    if (schedulingKeys.some((key) => key in patch)) await rescheduleFlows(c.env, shop.id);
    return c.json(shopView(shop), 200);
  },
);

shopRoutes.use('/v1/shop/webhook-secret/rotate', requireApiKey('admin'));
shopRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/shop/webhook-secret/rotate',
    summary: 'Rotate the webhook secret (admin scope)',
    description:
      "Issues a new secret, shown only in this response. The previous secret stays valid for `grace_minutes` (default WEBHOOK_SECRET_GRACE_MINUTES, 24 h) so senders can switch over. With `grace_minutes: 0` the previous secret stops being accepted within 30 s (the intake caches a shop's secrets for that long per isolate).",
    security: [{ apiKey: [] }],
    request: {
      body: {
        ...json(z.strictObject({ grace_minutes: z.number().int().min(0).max(10080).optional() })),
        required: false,
      },
    },
    responses: {
      200: jsonBody(z.object({ webhook_secret: z.string(), previous_secret_expires_at: z.string() })),
      ...authErrors,
    },
  }),
  async (c) => {
    const body = c.req.valid('json') ?? {};
    const graceMinutes = body.grace_minutes ?? Number(c.env.WEBHOOK_SECRET_GRACE_MINUTES ?? 1440);
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + graceMinutes * 60_000);
    const secret = await sealNewSecret(c.env);
    await d.batch([
      d
        .update(shops)
        .set({
          webhookSecretEnc: secret.sealed,
          // SET reads the row as it was, so this keeps the secret being replaced.
          previousWebhookSecretEnc: sql`${shops.webhookSecretEnc}`,
          previousWebhookSecretExpiresAt: expiresAt,
          updatedAt: now,
        })
        .where(eq(shops.id, shopId)),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'shop.rotate_webhook_secret',
          entity: 'shops',
          entityId: shopId,
          changes: { grace_minutes: graceMinutes },
        },
        now,
      ),
    ]);
    forgetShopKeys(shopId);
    return c.json({ webhook_secret: secret.secret, previous_secret_expires_at: expiresAt.toISOString() }, 200);
  },
);
