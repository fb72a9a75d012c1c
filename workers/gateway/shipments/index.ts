/**
 * `GET /v1/shipments?status=&carrier=&stalled=&cursor=&limit=`: the shop's
 * parcels for operations staff, newest first, in cursor pages (`read` scope).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { shipmentStatuses } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { decodeCursor, pageOf } from '../../../shared/http/cursor';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { shipmentSchema, shipmentView } from './schemas';
import { stalledSql, toShipment, type ShipmentRow } from './stalled';

const querySchema = z.object({
  status: z.enum(shipmentStatuses).optional(),
  carrier: z.string().min(1).max(64).optional(),
  stalled: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only parcels whose stall alert still stands (or not)' }),
  cursor: z.string().max(200).optional().openapi({ description: '`next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const shipmentRoutes = createRouter();
shipmentRoutes.use('/v1/shipments', requireApiKey('read'));

shipmentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/shipments',
    summary: 'List parcels for operations staff',
    security: [{ apiKey: [] }],
    request: { query: querySchema },
    responses: {
      200: jsonBody(z.object({ shipments: z.array(shipmentSchema), next_cursor: z.string().nullable() })),
      400: errorResponse('Invalid filter or cursor'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the read scope'),
    },
  }),
  async (c) => {
    const shopId = c.get('shopId');
    const q = c.req.valid('query');
    const where = [sql`s.shop_id = ${shopId}`];
    if (q.status) where.push(sql`s.status = ${q.status}`);
    if (q.carrier) where.push(sql`s.carrier = ${q.carrier}`);
    if (q.stalled) where.push(q.stalled === 'true' ? sql`stalled = 1` : sql`stalled = 0`);
    if (q.cursor) {
      const { createdAt, id } = decodeCursor(q.cursor);
      where.push(sql`(s.created_at, s.id) < (${createdAt}, ${id})`);
    }
    const rows = await dbFor(c.env, shopId).all<ShipmentRow>(
      sql`SELECT * FROM (SELECT s.*, ${stalledSql} AS stalled FROM shipments s WHERE s.shop_id = ${shopId}) s
        WHERE ${sql.join(where, sql` AND `)} ORDER BY s.created_at DESC, s.id DESC LIMIT ${q.limit + 1}`,
    );
    const { page, next } = pageOf(rows, q.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
    return c.json({ shipments: page.map((r) => shipmentView(toShipment(r), r.stalled === 1)), next_cursor: next }, 200);
  },
);
