/** API keys of the authenticated shop: issue (shown once), list, revoke. Admin scope. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { auditInsert } from '../../../shared/db/audit';
import { apiKeys, apiKeyScopes, type ApiKey } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { newApiKey } from './issue';

const keySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const view = (k: ApiKey): z.infer<typeof keySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_at: k.createdAt.toISOString(),
  revoked_at: k.revokedAt?.toISOString() ?? null,
});

const security = [{ apiKey: [] }];
const authErrors = { 401: errorResponse('Missing or unknown key'), 403: errorResponse('Key lacks the admin scope') };

export const apiKeyRoutes = createRouter();
apiKeyRoutes.use('/v1/api-keys', requireApiKey('admin'));
apiKeyRoutes.use('/v1/api-keys/*', requireApiKey('admin'));

apiKeyRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Issue an API key',
    description:
      'Scopes: `admin` (everything), `templates` (template editing only), `read` (read-only). The key is shown only in this response.',
    security,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              name: z.string().trim().min(1).max(100),
              scopes: z.array(z.enum(apiKeyScopes)).min(1),
            }),
          },
        },
      },
    },
    responses: {
      201: jsonBody(keySchema.extend({ api_key: z.string() }), 'Created'),
      400: errorResponse('Invalid body'),
      ...authErrors,
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const now = new Date();
    const issued = await newApiKey(shopId, body.name, [...new Set(body.scopes)], now);
    const [[row]] = await d.batch([
      d.insert(apiKeys).values(issued.row).returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'api_key.create',
          entity: 'api_keys',
          entityId: issued.row.id,
          changes: { scopes: issued.row.scopes },
        },
        now,
      ),
    ]);
    return c.json({ ...view(row!), api_key: issued.key }, 201);
  },
);

apiKeyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/api-keys',
    summary: 'List API keys (prefixes only)',
    security,
    responses: { 200: jsonBody(z.object({ data: z.array(keySchema) })), ...authErrors },
  }),
  async (c) => {
    const rows = await db(c.env.DB).query.apiKeys.findMany({ where: eq(apiKeys.shopId, c.get('shopId')) });
    return c.json({ data: rows.map(view) }, 200);
  },
);

apiKeyRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/api-keys/{key_id}',
    summary: 'Revoke an API key',
    security,
    request: { params: z.object({ key_id: z.string() }) },
    responses: {
      200: jsonBody(keySchema),
      404: errorResponse('No such key in this shop'),
      409: errorResponse('The last admin key cannot be revoked'),
      ...authErrors,
    },
  }),
  async (c) => {
    const shopId = c.get('shopId');
    const keyId = c.req.valid('param').key_id;
    const d = db(c.env.DB);
    const now = new Date();
    const active = await d.query.apiKeys.findMany({
      where: and(eq(apiKeys.shopId, shopId), isNull(apiKeys.revokedAt)),
    });
    const target = active.find((k) => k.id === keyId);
    if (target?.scopes.includes('admin') && active.filter((k) => k.scopes.includes('admin')).length === 1) {
      throw new ApiError('conflict', "This is the shop's last admin key; issue another admin key before revoking it");
    }
    const [row] = await d
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.shopId, shopId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) throw new ApiError('not_found', 'No such active key in this shop');
    await auditInsert(
      d,
      { shopId, actorKeyId: c.get('apiKeyId'), action: 'api_key.revoke', entity: 'api_keys', entityId: keyId },
      now,
    );
    return c.json(view(row), 200);
  },
);
