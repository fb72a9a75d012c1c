/**
 * `GET /v1/metrics/unpaid-reminders`: reminders sent and payments recovered; `GET /v1/metrics/review-requests`:
 * requests, reminders, reviews and ratings. Both per day and template variant. `GET /v1/metrics/clicks`:
 * short-link clicks per message kind and variant.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { db, dbFor } from '../../../shared/db/client';
import { shops } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { reminderSettings } from '../../../shared/orders/reminder-settings';
import { recovery } from './recovery';
import { reviewMetrics } from './reviews';
import { clickMetrics } from './clicks';

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

/** The range asked for: default the 7 days before `to` (default now), at most MAX_DAYS. */
function rangeOf(q: z.infer<typeof query>) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY)
    throw new ApiError('validation_failed', `The range may span at most ${MAX_DAYS} days`);
  return { from, to };
}

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
    const { from, to } = rangeOf(c.req.valid('query'));
    const d = db(c.env.DB);
    const shop = await d.query.shops.findFirst({ where: eq(shops.id, c.get('shopId')) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    const data = await recovery(d, shop, from, to);
    const window = reminderSettings(shop.reminders).recovery_window_hours;
    return c.json({ from: from.toISOString(), to: to.toISOString(), recovery_window_hours: window, data }, 200);
  },
);

const reviewRowSchema = z.object({
  date: z.string().openapi({ description: 'Local date the request was sent, shop time' }),
  variant: z.string(),
  template_version_id: z.string().nullable(),
  requests_sent: z.number().int(),
  reminders_sent: z.number().int().openapi({ description: 'Of those requests, how many were followed by a reminder' }),
  reviews_received: z.number().int().openapi({ description: 'Reviews of those orders written after the request' }),
  review_rate: z.number().openapi({ description: 'reviews_received / requests_sent' }),
  average_rating: z.number().nullable().openapi({ description: 'Mean rating of those reviews; null without any' }),
  negative_share: z
    .number()
    .nullable()
    .openapi({ description: 'Share of those reviews at or below the negative threshold; null without any' }),
});

metricsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/metrics/review-requests',
    summary: 'Review rate and ratings after review requests',
    security: [{ apiKey: [] }],
    request: { query },
    responses: {
      200: jsonBody(
        z.object({ from: z.string(), to: z.string(), data: z.array(reviewRowSchema) }).openapi('ReviewRequestMetrics'),
      ),
      400: errorResponse('Invalid range'),
      401: errorResponse('Missing or unknown key'),
    },
  }),
  async (c) => {
    const { from, to } = rangeOf(c.req.valid('query'));
    const d = db(c.env.DB);
    const shop = await d.query.shops.findFirst({ where: eq(shops.id, c.get('shopId')) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    const data = await reviewMetrics(d, shop, from, to);
    return c.json({ from: from.toISOString(), to: to.toISOString(), data }, 200);
  },
);

const clickRowSchema = z.object({
  kind: z.string(),
  variant: z.string(),
  messages: z
    .number()
    .int()
    .openapi({ description: 'Messages planned in the range whose SMS text carries a short link' }),
  messages_clicked: z.number().int().openapi({ description: 'Of those, how many had a link opened at least once' }),
  clicks: z.number().int().openapi({ description: 'Every open of those links (HEAD requests excluded)' }),
  click_rate: z.number().openapi({ description: 'messages_clicked / messages' }),
});

metricsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/metrics/clicks',
    summary: 'Clicks on the short links of SMS texts, per message kind and variant',
    security: [{ apiKey: [] }],
    request: { query },
    responses: {
      200: jsonBody(
        z.object({ from: z.string(), to: z.string(), data: z.array(clickRowSchema) }).openapi('ClickMetrics'),
      ),
      400: errorResponse('Invalid range'),
      401: errorResponse('Missing or unknown key'),
    },
  }),
  async (c) => {
    const { from, to } = rangeOf(c.req.valid('query'));
    const data = await clickMetrics(dbFor(c.env, c.get('shopId')), c.get('shopId'), from, to);
    return c.json({ from: from.toISOString(), to: to.toISOString(), data }, 200);
  },
);
