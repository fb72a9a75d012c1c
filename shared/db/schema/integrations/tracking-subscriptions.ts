/**
 * Tracking subscriptions orderbell owes a platform (Kuaidi100): one row per parcel, written in the
 * intake's batch when a shipment is created for a connected shop, and worked off by the
 * dispatcher's cron as a retried outbound job. `due_at` is set while the job is owed.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const subscriptionStatuses = ['pending', 'subscribed', 'failed'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const trackingSubscriptions = sqliteTable(
  'tracking_subscriptions',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    platform: text('platform', { enum: ['kuaidi100'] }).notNull(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    /** The platform's code for the carrier (Kuaidi100 `company`); null when the carrier is unknown to it. */
    company: text('company'),
    status: text('status', { enum: subscriptionStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due (a claim pushes it out by a lease); null once done. */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }),
    /** Why the last attempt failed, or why the subscription was given up. */
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.platform, t.carrier, t.trackingNumber] }),
    index('tracking_subscriptions_due_idx')
      .on(t.dueAt)
      .where(sql`due_at IS NOT NULL`),
  ],
);

export type TrackingSubscription = typeof trackingSubscriptions.$inferSelect;
