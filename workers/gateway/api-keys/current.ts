/**
 * `GET /v1/key`: the calling key itself (name, prefix, scopes) and its shop's name, for any scope.
 * Clients such as the console use it to sign in: a templates-only key may not read `/v1/shop`,
 * but it may learn which shop it belongs to and what it may do.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { apiKeys, apiKeyScopes, shops } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';

const currentKeySchema = z
  .object({
    shop_id: z.string(),
    shop_name: z.string(),
    key: z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.enum(apiKeyScopes)) }),
  })
  .openapi('CurrentKey');

export const currentKeyRoutes = createRouter();
currentKeyRoutes.use('/v1/key', requireApiKey(['read', 'templates']));
currentKeyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/key',
    summary: 'Describe the calling API key and its shop (any scope)',
    security: [{ apiKey: [] }],
    responses: { 200: jsonBody(currentKeySchema), 401: errorResponse('Missing or unknown key') },
  }),
  async (c) => {
    const d = db(c.env.DB);
    const [key, shop] = await Promise.all([
      d.query.apiKeys.findFirst({ where: eq(apiKeys.id, c.get('apiKeyId')) }),
      d.query.shops.findFirst({ where: eq(shops.id, c.get('shopId')) }),
    ]);
    if (!key || !shop) throw new ApiError('unauthorized', 'Unknown or revoked API key');
    return c.json(
      {
        shop_id: shop.id,
        shop_name: shop.name,
        key: { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes },
      },
      200,
    );
  },
);
