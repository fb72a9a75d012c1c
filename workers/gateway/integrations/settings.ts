/**
 * A shop's platform connections: `PUT /v1/integrations/{platform}` validates the credentials with
 * the platform's zod schema, seals them (AES-GCM) and audits the field names only; `GET
 * /v1/integrations` lists what is connected with the callback URL to paste into the platform;
 * `DELETE` disconnects. No answer ever carries a credential. Changes take an admin key, the list a
 * read key.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { integrations, platforms, type Integration, type Platform } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { ApiError, validationError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { credentialSchemas, loadIntegration, sealCredentials, toStore } from '../../../shared/integrations/credentials';
import { authErrors, security } from '../messages/auth';

const params = z.object({ platform: z.enum(platforms) });

const connection = z
  .object({
    platform: z.enum(platforms),
    callback_url: z.string().openapi({ description: 'Paste this into the platform as the webhook / callback URL' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Integration');

/** Where the platform sends its deliveries for this shop. */
export const callbackUrl = (origin: string, platform: Platform, shopId: string) =>
  `${origin.replace(/\/$/, '')}/v1/integrations/${platform}/${shopId}`;

const view = (origin: string, row: Integration): z.infer<typeof connection> => ({
  platform: row.platform,
  callback_url: callbackUrl(origin, row.platform, row.shopId),
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

export const settingsRoutes = createRouter();

settingsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/integrations',
    summary: 'List connected platforms with their callback URLs (never credentials)',
    security,
    responses: { 200: jsonBody(z.object({ data: z.array(connection) })), ...authErrors },
  }),
  async (c) => {
    const rows = await db(c.env.DB).query.integrations.findMany({
      where: eq(integrations.shopId, c.get('shopId')),
      orderBy: [asc(integrations.platform)],
    });
    const origin = new URL(c.req.url).origin;
    return c.json({ data: rows.map((row) => view(origin, row)) }, 200);
  },
);

settingsRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/v1/integrations/{platform}',
    summary: "Connect a platform: store the shop's credentials (admin scope)",
    description:
      'shopify: `{"shop_domain": "x.myshopify.com", "client_secret": "..."}` (a new secret keeps the previous one accepted for WEBHOOK_SECRET_GRACE_MINUTES); kuaidi100: `{"key", "customer", "salt"}`; aftership: `{"webhook_secret"}`. Stored encrypted; never returned.',
    security,
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    },
    responses: {
      200: jsonBody(connection),
      400: errorResponse('Credentials fail the platform schema (`details` carries the paths)'),
      ...authErrors,
    },
  }),
  async (c) => {
    const { platform } = c.req.valid('param');
    const shopId = c.get('shopId');
    const parsed = credentialSchemas[platform].safeParse(c.req.valid('json'));
    if (!parsed.success) throw validationError(parsed.error);
    const d = db(c.env.DB);
    const now = new Date();
    const previous = await loadIntegration(d, c.env.ENCRYPTION_KEY, shopId, platform);
    const graceMs = Number(c.env.WEBHOOK_SECRET_GRACE_MINUTES ?? '1440') * 60_000;
    const stored = toStore(platform, parsed.data as never, previous as never, now.getTime(), graceMs);
    const ciphertext = await sealCredentials(c.env.ENCRYPTION_KEY, stored);
    const [[row]] = await d.batch([
      d
        .insert(integrations)
        .values({ shopId, platform, ciphertext, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [integrations.shopId, integrations.platform],
          set: { ciphertext, updatedAt: now },
        })
        .returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'integration.update',
          entity: 'integrations',
          entityId: platform,
          // Field names only: the values are secrets.
          changes: { platform, fields: Object.keys(parsed.data).sort() },
        },
        now,
      ),
    ]);
    return c.json(view(new URL(c.req.url).origin, row!), 200);
  },
);

settingsRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/integrations/{platform}',
    summary: 'Disconnect a platform (admin scope)',
    security,
    request: { params },
    responses: { 204: { description: 'Disconnected' }, 404: errorResponse('Not connected'), ...authErrors },
  }),
  async (c) => {
    const { platform } = c.req.valid('param');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const which = and(eq(integrations.shopId, shopId), eq(integrations.platform, platform));
    const [gone] = await d.delete(integrations).where(which).returning({ platform: integrations.platform });
    if (!gone) throw new ApiError('not_found', `${platform} is not connected`);
    await auditInsert(d, {
      shopId,
      actorKeyId: c.get('apiKeyId'),
      action: 'integration.delete',
      entity: 'integrations',
      entityId: platform,
    });
    return c.body(null, 204);
  },
);
