/** The intake log: every accepted webhook, unique per shop and `webhook-id`. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

/**
 * `applied` changed the order state; `stale` was older than it; `recorded` carries no state;
 * `ignored`: a platform delivery acknowledged but not turned into an event (the payload says why).
 */
export const intakeOutcomes = ['applied', 'stale', 'recorded', 'ignored'] as const;
export type IntakeOutcome = (typeof intakeOutcomes)[number];

/** Where a delivery came from: the native signed webhook or a platform connection. */
export const intakeSources = ['native', 'shopify', 'kuaidi100', 'aftership'] as const;
export type IntakeSource = (typeof intakeSources)[number];

export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** The delivery id: `webhook-id`, or the platform's own, prefixed by its source (`shopify:...`). */
    webhookId: text('webhook_id').notNull(),
    source: text('source', { enum: intakeSources }).notNull().default('native'),
    type: text('type').notNull(),
    orderId: text('order_id').notNull(),
    /** The event's own `timestamp`: when it happened at the shop. */
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    outcome: text('outcome', { enum: intakeOutcomes }).notNull(),
    /** The event body exactly as validated (JSON). */
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [
    uniqueIndex('webhook_events_shop_webhook_uq').on(t.shopId, t.webhookId),
    index('webhook_events_order_idx').on(t.shopId, t.orderId, t.occurredAt),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
