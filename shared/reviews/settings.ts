/**
 * A shop's review request and review care settings (`PATCH /v1/shop` `review_requests`): when the
 * request becomes due after delivery or completion, the one reminder, how long a request stays
 * worth sending, and what a review triggers. Stored as JSON on the shop; absent fields take defaults.
 */
import { z } from '@hono/zod-openapi';

export const reviewSettingsSchema = z
  .strictObject({
    delay_days: z.number().min(0).max(60).default(3).openapi({
      description: 'Days after delivery (the last parcel) or completion, whichever comes first; 0 makes it due at once',
    }),
    reminder: z.boolean().default(true).openapi({ description: 'Send at most one reminder when no review came' }),
    reminder_gap_days: z.number().min(0.5).max(30).default(4).openapi({ description: 'Days after the request' }),
    window_days: z.number().min(1).max(180).default(30).openapi({
      description: 'Days after delivery or completion after which a request or reminder is skipped as `expired`',
    }),
    negative_threshold: z.number().int().min(1).max(4).default(3).openapi({
      description: 'A rating at or below this alerts staff (and may send the buyer a care message)',
    }),
    care: z.boolean().default(true).openapi({ description: 'Send the buyer one apology after a negative review' }),
    thanks: z.boolean().default(false).openapi({ description: 'Thank the buyer for a review above the threshold' }),
    review_url: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .nullable()
      .default(null)
      .openapi({
        description: 'Where buyers leave the review; `{order_id}` is replaced by the order id',
        example: 'https://shop.example/review?order={order_id}',
      }),
  })
  .refine((s) => s.reminder_gap_days < s.window_days, {
    message: 'the reminder gap must be shorter than the window',
    path: ['reminder_gap_days'],
  })
  .openapi('ReviewRequestSettings');

export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export function reviewSettings(stored: unknown): ReviewSettings {
  return reviewSettingsSchema.parse(stored ?? {});
}

/** The review link of an order, or '' when the shop set none. */
export const reviewUrl = (settings: ReviewSettings, orderId: string) =>
  settings.review_url?.replaceAll('{order_id}', encodeURIComponent(orderId)) ?? '';
