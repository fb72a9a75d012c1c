/**
 * Provider credentials of the key's shop. PUT validates the JSON with the
 * provider's zod schema (400 with the zod paths), seals the validated settings
 * with AES-GCM under ENCRYPTION_KEY and audits the field names only. No
 * response ever carries a credential: the list shows provider, channel and
 * times; PUT answers the same plus the callback URLs to configure at the
 * provider (for Aliyun these hold the push token, so only admin keys see them).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { adapters } from '../../../shared/channels';
import { newId } from '../../../shared/crypto/random';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { providerCredentials } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from '../messages/auth';
import { callbackUrls, configurable, providerSchema, providerView as view, seal, validSettings } from './sealing';

const params = z.object({ provider: z.enum(configurable) });

export const providerRoutes = createRouter();

providerRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/delivery/providers',
    summary: 'List configured providers (never their credentials)',
    security,
    responses: { 200: jsonBody(z.object({ data: z.array(providerSchema) })), ...authErrors },
  }),
  async (c) => {
    const rows = await db(c.env.DB).query.providerCredentials.findMany({
      where: eq(providerCredentials.shopId, c.get('shopId')),
      orderBy: [asc(providerCredentials.provider), asc(providerCredentials.label)],
    });
    return c.json({ data: rows.map(view) }, 200);
  },
);

providerRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/v1/delivery/providers/{provider}',
    summary: "Store a provider's credentials (admin scope)",
    description:
      "The body is the provider's settings JSON, validated by its schema (e.g. twilio: accountSid, authToken, from | messagingServiceSid). Stored encrypted; never returned.",
    security,
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    },
    responses: {
      200: jsonBody(providerSchema.extend({ callback_urls: z.record(z.string(), z.string()).optional() })),
      400: errorResponse('Settings fail the provider schema (`details` carries the paths)'),
      ...authErrors,
    },
  }),
  async (c) => {
    const provider = c.req.valid('param').provider;
    const shopId = c.get('shopId');
    const settings = validSettings(provider, c.req.valid('json'));
    const d = db(c.env.DB);
    const { ciphertext, receiptToken } = await seal(d, c.env.ENCRYPTION_KEY, shopId, provider, settings);
    const channel = adapters[provider].channel;
    const now = new Date();
    const [[row]] = await d.batch([
      d
        .insert(providerCredentials)
        .values({ id: newId('cred'), shopId, provider, channel, ciphertext, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [providerCredentials.shopId, providerCredentials.provider, providerCredentials.label],
          set: { channel, ciphertext, updatedAt: now },
        })
        .returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'provider.update',
          entity: 'provider_credentials',
          entityId: provider,
          // Field names only: the values are secrets.
          changes: { provider, channel, fields: Object.keys(settings).sort() },
        },
        now,
      ),
    ]);
    const urls = callbackUrls(new URL(c.req.url).origin, shopId, provider, receiptToken);
    return c.json({ ...view(row!), ...(urls ? { callback_urls: urls } : {}) }, 200);
  },
);

providerRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/delivery/providers/{provider}',
    summary: "Delete a provider's credentials (admin scope)",
    security,
    request: { params },
    responses: { 204: { description: 'Deleted' }, 404: errorResponse('Not configured'), ...authErrors },
  }),
  async (c) => {
    const provider = c.req.valid('param').provider;
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const which = and(eq(providerCredentials.shopId, shopId), eq(providerCredentials.provider, provider));
    const existing = await d.query.providerCredentials.findFirst({ where: which, columns: { id: true } });
    if (!existing) throw new ApiError('not_found', `${provider} is not configured for this shop`);
    const now = new Date();
    await d.batch([
      d.delete(providerCredentials).where(which),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'provider.delete',
          entity: 'provider_credentials',
          entityId: provider,
        },
        now,
      ),
    ]);
    return c.body(null, 204);
  },
);
