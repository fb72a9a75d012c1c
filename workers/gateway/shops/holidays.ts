/** `POST /v1/shop/non-shipping-days/import`: merges a holiday list into the shop's non-shipping days. */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { auditInsert } from '../../../shared/db/audit';
import { shops } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { rescheduleFlows } from '../runs/flows';
import { isoDateSchema } from '../../../shared/time/validate';

const MAX_DAYS = 400;

const importSchema = z
  .strictObject({
    dates: z.array(isoDateSchema).min(1).max(MAX_DAYS),
    /** `merge` keeps existing days; `replace` keeps the weekdays and replaces every dated holiday. */
    mode: z.enum(['merge', 'replace']).default('merge'),
  })
  .openapi('HolidayImport');

export const holidayRoutes = createRouter();
holidayRoutes.use('/v1/shop/non-shipping-days/import', requireApiKey('admin'));

holidayRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/shop/non-shipping-days/import',
    summary: 'Import a holiday list (admin scope)',
    description: 'Adds ISO dates to `non_shipping_days` and reschedules pending reminders.',
    security: [{ apiKey: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: importSchema } } } },
    responses: {
      200: jsonBody(z.object({ non_shipping_days: z.array(z.string()), rescheduled_orders: z.number().int() })),
      400: errorResponse('Invalid dates, or more than 400 days in all'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the admin scope'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const shop = await d.query.shops.findFirst({ where: eq(shops.id, shopId) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    const kept =
      body.mode === 'replace' ? shop.nonShippingDays.filter((day) => !/^\d{4}-/.test(day)) : shop.nonShippingDays;
    const days = [...new Set([...kept, ...body.dates])].sort();
    if (days.length > MAX_DAYS)
      throw new ApiError(
        'validation_failed',
        `non_shipping_days would hold ${days.length} days; the limit is ${MAX_DAYS}`,
      );
    const now = new Date();
    const [[updated]] = await d.batch([
      d.update(shops).set({ nonShippingDays: days, updatedAt: now }).where(eq(shops.id, shopId)).returning(),
      auditInsert(
        d,
        {
          shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'shop.import_holidays',
          entity: 'shops',
          entityId: shopId,
          changes: { added: body.dates.length, mode: body.mode },
        },
        now,
      ),
    ]);
    const rescheduled = await rescheduleFlows(c.env, shopId);
    return c.json({ non_shipping_days: days, rescheduled_orders: rescheduled }, 200);
  },
);
