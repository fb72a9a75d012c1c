/**
 * The shop's blacklist of phones (E.164), emails (stored lower-cased) and buyer
 * ids, which the dispatcher checks at claim (reason `blacklisted`). Adding an
 * entry twice is a no-op that answers 200 with the existing entry.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { blacklist, blacklistTypes, type BlacklistEntry, type BlacklistType } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from '../messages/auth';

const note = z.string().trim().max(500).optional();
const entryInput = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('phone'),
    value: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone such as +8613800138000'),
    note,
  }),
  z.strictObject({ type: z.literal('email'), value: z.string().trim().toLowerCase().pipe(z.email()), note }),
  z.strictObject({ type: z.literal('buyer'), value: z.string().trim().min(1).max(200), note }),
]);

const entrySchema = z
  .object({ type: z.enum(blacklistTypes), value: z.string(), note: z.string().nullable(), created_at: z.string() })
  .openapi('BlacklistEntry');
const view = (e: BlacklistEntry) => ({
  type: e.type,
  value: e.value,
  note: e.note,
  created_at: e.createdAt.toISOString(),
});

/** The stored form of a value: emails lower-cased, others trimmed. */
const normalize = (type: BlacklistType, value: string) =>
  type === 'email' ? value.trim().toLowerCase() : value.trim();
const key = (shopId: string, type: BlacklistType, value: string) =>
  and(eq(blacklist.shopId, shopId), eq(blacklist.type, type), eq(blacklist.value, value));

export const blacklistRoutes = createRouter();

blacklistRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/blacklist',
    summary: 'List blacklist entries',
    security,
    request: { query: z.object({ type: z.enum(blacklistTypes).optional() }) },
    responses: {
      200: jsonBody(z.object({ data: z.array(entrySchema) })),
      400: errorResponse('Unknown type'),
      ...authErrors,
    },
  }),
  async (c) => {
    const { type } = c.req.valid('query');
    const rows = await db(c.env.DB).query.blacklist.findMany({
      where: and(eq(blacklist.shopId, c.get('shopId')), type ? eq(blacklist.type, type) : undefined),
      orderBy: [asc(blacklist.type), asc(blacklist.value)],
    });
    return c.json({ data: rows.map(view) }, 200);
  },
);

blacklistRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/blacklist',
    summary: 'Add a phone, email or buyer id (admin scope)',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: entryInput } } } },
    responses: {
      201: jsonBody(entrySchema, 'Added'),
      200: jsonBody(entrySchema, 'Already on the list; unchanged'),
      400: errorResponse('Invalid entry'),
      ...authErrors,
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const existing = await d.query.blacklist.findFirst({ where: key(shopId, input.type, input.value) });
    if (existing) return c.json(view(existing), 200);
    const now = new Date();
    const [[row]] = await d.batch([
      d
        .insert(blacklist)
        .values({ shopId, type: input.type, value: input.value, note: input.note ?? null, createdAt: now })
        .returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'blacklist.add',
          entity: 'blacklist',
          entityId: `${input.type}:${input.value}`,
        },
        now,
      ),
    ]);
    return c.json(view(row!), 201);
  },
);

blacklistRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/blacklist/{type}/{value}',
    summary: 'Remove an entry (admin scope)',
    description: 'URL-encode the value (`%2B8613800138000`); emails match case-insensitively.',
    security,
    request: { params: z.object({ type: z.enum(blacklistTypes), value: z.string().min(1) }) },
    responses: { 204: { description: 'Removed' }, 404: errorResponse('Not on the list'), ...authErrors },
  }),
  async (c) => {
    const { type, value: raw } = c.req.valid('param');
    const value = normalize(type, raw);
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    if (!(await d.query.blacklist.findFirst({ where: key(shopId, type, value) }))) {
      throw new ApiError('not_found', `${type} ${value} is not on the blacklist`);
    }
    await d.batch([
      d.delete(blacklist).where(key(shopId, type, value)),
      auditInsert(d, {
        shopId,
        actorKeyId: c.get('apiKeyId'),
        action: 'blacklist.remove',
        entity: 'blacklist',
        entityId: `${type}:${value}`,
      }),
    ]);
    return c.body(null, 204);
  },
);
