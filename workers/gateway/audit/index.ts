/**
 * `GET /v1/audit` (admin): the shop's audit log, newest first, masked. Filters `from`/`to` bound
 * `created_at`, `action` matches exactly (e.g. `customer.opt_out`); pages by (created_at, id) through the
 * `audit_log_shop_created_idx` index. Phones and emails in entity ids and changes are masked.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { auditLog, type AuditLogEntry } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { maskEmail, maskPhone } from '../../../shared/text/mask';
import { redact, redactFields } from '../../../shared/text/redact';
import { after, pageOf } from '../../../shared/http/cursor';

const isoTime = z.iso.datetime({ offset: true });
const querySchema = z.object({
  from: isoTime.optional().openapi({ description: 'Entries at or after this time' }),
  to: isoTime.optional().openapi({ description: 'Entries before this time' }),
  action: z.string().min(1).max(64).optional().openapi({ example: 'customer.opt_out' }),
  cursor: z.string().optional().openapi({ description: '`next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const entrySchema = z
  .object({
    id: z.string(),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string(),
    actor_key_id: z.string().nullable().openapi({ description: 'Null when the system, a buyer or the operator acted' }),
    changes: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
  })
  .openapi('AuditEntry');

/** Blacklist entries are keyed `phone:+86…` / `email:…`: mask the value by its type. */
function maskedEntityId(e: AuditLogEntry): string {
  const [type, ...rest] = e.entityId.split(':');
  const value = rest.join(':');
  if (e.entity === 'blacklist' && type === 'phone') return `phone:${maskPhone(value)}`;
  if (e.entity === 'blacklist' && type === 'email') return `email:${maskEmail(value)}`;
  return redact(e.entityId);
}

const view = (e: AuditLogEntry): z.infer<typeof entrySchema> => ({
  id: e.id,
  action: e.action,
  entity: e.entity,
  entity_id: maskedEntityId(e),
  actor_key_id: e.actorKeyId,
  changes: e.changes ? redactFields(e.changes) : null,
  created_at: e.createdAt.toISOString(),
});

export const auditRoutes = createRouter();
auditRoutes.use('/v1/audit', requireApiKey('admin'));

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/audit',
    summary: 'Read the audit log (admin scope)',
    description:
      'Who changed what: template publishes, settings, keys, credentials, blacklist, retries, and every buyer opt-out and opt-in with its source (`sms_reply:twilio`, `sms_reply:aliyun`, `email_unsubscribe`, `email_resubscribe`, `api`). Newest first; pass `next_cursor` as `cursor` for the next page. Phones and emails are masked.',
    security: [{ apiKey: [] }],
    request: { query: querySchema },
    responses: {
      200: jsonBody(z.object({ data: z.array(entrySchema), next_cursor: z.string().nullable() })),
      400: errorResponse('Bad filter or cursor'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the admin scope'),
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const where: (SQL | undefined)[] = [eq(auditLog.shopId, c.get('shopId'))];
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.from) where.push(gte(auditLog.createdAt, new Date(q.from)));
    if (q.to) where.push(lt(auditLog.createdAt, new Date(q.to)));
    if (q.cursor) where.push(after(q.cursor, auditLog.createdAt, auditLog.id));
    const rows = await db(c.env.DB)
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(q.limit + 1);
    const { page, next } = pageOf(rows, q.limit, (row) => row);
    return c.json({ data: page.map(view), next_cursor: next }, 200);
  },
);
