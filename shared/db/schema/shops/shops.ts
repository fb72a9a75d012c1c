/** The tenant: one row per shop, holding its settings and webhook secrets. */
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export type QuietHours = { start: string; end: string };

export const shops = sqliteTable('shops', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  shippingCutoff: text('shipping_cutoff').notNull().default('18:00'),
  /** Weekday names (`mon`..`sun`) and ISO dates on which the shop does not ship. */
  nonShippingDays: text('non_shipping_days', { mode: 'json' })
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`),
  reminderLeadMinutes: integer('reminder_lead_minutes').notNull().default(60),
  reminderMinOrderAgeMinutes: integer('reminder_min_order_age_minutes').notNull().default(10),
  quietHours: text('quiet_hours', { mode: 'json' })
    .$type<QuietHours>()
    .notNull()
    .default(sql`'{"start":"21:00","end":"08:00"}'`),
  /** SMS signature such as 【茶小铺】, required by Chinese carriers; counted in every SMS. */
  smsSignature: text('sms_signature'),
  smsSignaturePosition: text('sms_signature_position', { enum: ['start', 'end'] })
    .notNull()
    .default('start'),
  /** Unpaid-reminder rules beyond the columns above; see shared/orders/reminder-settings. */
  reminders: text('reminders', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** Shipment follow-up settings (notices, care delay, stall detection); see shared/shipping/settings. */
  shipmentFollowups: text('shipment_followups', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** Review request and review care settings (delay, reminder, window, care); see shared/reviews/settings. */
  reviewRequests: text('review_requests', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** Remote provinces/cities and their transit notes; null means the defaults (shared/orders/remote-regions). */
  remoteRegions: text('remote_regions', { mode: 'json' }).$type<unknown[]>(),
  /** Routing, provider order, frequency budget and consent policy; see shared/delivery/settings. */
  delivery: text('delivery', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** AES-GCM ciphertext of the current `whsec_` secret (see shared/crypto/secret-box). */
  webhookSecretEnc: text('webhook_secret_enc').notNull(),
  previousWebhookSecretEnc: text('previous_webhook_secret_enc'),
  previousWebhookSecretExpiresAt: integer('previous_webhook_secret_expires_at', { mode: 'timestamp_ms' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export type Shop = typeof shops.$inferSelect;
