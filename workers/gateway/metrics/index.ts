/** `GET /v1/metrics/unpaid-reminders`: reminders sent and payments recovered, per day and template variant. */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { shops } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { reminderSettings } from '../../../shared/orders/reminder-settings';
import { recovery } from './recovery';

const DAY = 86_400_000;
const MAX_DAYS = 92;

const query = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Start (inclusive); default 7 days before `to`' }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'End (exclusive); default now' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });

const rowSchema = z.object({
  date: z.string().openapi({ description: 'Local date of sending, shop time' }),
  kind: z.string(),
  variant: z.string(),
  template_version_id: z.string().nullable(),
  reminders_sent: z.number().int(),
  orders_recovered: z.number().int(),
  amount_recovered: z.record(z.string(), z.string()).openapi({ example: { CNY: '1290.00' } }),
  recovery_rate: z
    .number()
    .openapi({ description: 'Share of reminders after which a reminded order was paid within the window' }),
});

export const metricsRoutes = createRouter();
metricsRoutes.use('/v1/metrics/*', requireApiKey('read'));

metricsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/metrics/unpaid-reminders',
    summary: 'Payment recovery of unpaid reminders',
    security: [{ apiKey: [] }],
    request: { query },
    responses: {
      200: jsonBody(
        z
          .object({ from: z.string(), to: z.string(), recovery_window_hours: z.number(), data: z.array(rowSchema) })
          .openapi('RecoveryMetrics'),
      ),
      400: errorResponse('Invalid range'),
      401: errorResponse('Missing or unknown key'),
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY);
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY)
      throw new ApiError('validation_failed', `The range may span at most ${MAX_DAYS} days`);
    const d = db(c.env.DB);
    const shop = await d.query.shops.findFirst({ where: eq(shops.id, c.get('shopId')) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    const data = await recovery(d, shop, from, to);
    const window = reminderSettings(shop.reminders).recovery_window_hours;
    return c.json({ from: from.toISOString(), to: to.toISOString(), recovery_window_hours: window, data }, 200);
  },
);
