/**
 * Every flow's due work in one table: a trigger written by the intake for each subscribed flow,
 * and the timers a flow arms for itself (a reminder, a stall check). One row per
 * (shop, flow, order, step); `due_at` is null once the work is done or disarmed, so the one
 * partial index holds only rows that are due or waiting.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { flowNames } from '../../../flows/names';
import { shops } from '../shops/shops';

export const flowTimers = sqliteTable(
  'flow_timers',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    flow: text('flow', { enum: flowNames }).notNull(),
    orderId: text('order_id').notNull(),
    /** What is due, named by the flow: an event trigger (`on:order.paid`) or a timer (`reminder`). */
    step: text('step').notNull(),
    /** When the work is due; pushed out by a lease while a pass holds it; null when done or disarmed. */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }),
    /** The intake event that armed a trigger (webhook_events.id). */
    eventId: text('event_id'),
    /** Failed attempts of the current arming; the sweep backs off with it. */
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.flow, t.orderId, t.step] }),
    // The one due index: every flow's pass and sweep reads only its due rows through it.
    index('flow_timers_due_idx')
      .on(t.flow, t.dueAt)
      .where(sql`due_at IS NOT NULL`),
  ],
);

export type FlowTimer = typeof flowTimers.$inferSelect;
