/** The intake log: every accepted webhook, unique per shop and `webhook-id`. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

/** `applied` changed the order state; `stale` was older than it; `recorded` carries no state. */
export const intakeOutcomes = ['applied', 'stale', 'recorded'] as const;
export type IntakeOutcome = (typeof intakeOutcomes)[number];

export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    webhookId: text('webhook_id').notNull(),
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
