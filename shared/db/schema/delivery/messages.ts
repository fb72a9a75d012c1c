/** The outbox and delivery log: one row per message business key, from planning to outcome. */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';
import { channels, type Channel, type TemplateContent } from '../../../channels/channel';

export { channels, type Channel } from '../../../channels/channel';

/**
 * A later channel of a message's route, fixed when the message was planned: the text rendered for it
 * then, and why the route's channels between the previous one and it were passed over
 * (e.g. `no_address:sms`). A fallback inserts the next of these; nothing renders again.
 */
export type FallbackAlternative = {
  channel: Channel;
  rendered: TemplateContent;
  templateVersionId: string | null;
  variant: string;
  passed: string | null;
};

/** Why a row exists: a flow's message to a buyer or staff, or a staff member's template test send. */
export const messagePurposes = ['flow', 'test'] as const;
export type MessagePurpose = (typeof messagePurposes)[number];

export const messageStatuses = [
  'planned',
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'skipped',
  'cancelled',
  'dead',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/**
 * Why a message was skipped, cancelled, deferred or ended dead. Closed: every value is
 * documented for operators, and the order timeline and run counts report these exact strings.
 */
export const messageReasons = [
  'paid',
  'cancelled',
  'order_state_changed',
  'opted_out',
  'quiet_hours_deferred',
  'frequency_cap',
  'no_recipient',
  'blacklisted',
  'duplicate_phone_today',
  'stale_event',
  'merged',
  'filtered',
  'recently_paid',
  'no_consent',
  'no_provider',
  'provider_rejected',
  'retries_exhausted',
  'lease_expired_unknown',
  'superseded',
  /** Past the time its text stays true: its send-by deadline passed (or a deferral or retry would pass it), or a review request after its window. */
  'expired',
  /** The buyer already reviewed the order: no request or reminder. */
  'reviewed',
] as const;
export type MessageReason = (typeof messageReasons)[number];

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    /** The buyer (customers.id) the frequency budget counts against; null for staff messages. */
    buyerId: text('buyer_id'),
    kind: text('kind').notNull(),
    /** `test` for template test sends: staff recipients, so the buyer policy does not apply. */
    purpose: text('purpose', { enum: messagePurposes }).notNull().default('flow'),
    /** Position in the kind's sequence (e.g. 1 = the one follow-up reminder). */
    step: integer('step').notNull().default(0),
    channel: text('channel', { enum: channels }).notNull(),
    /** Address used (E.164, email, chat id, URL); '' when there is none, so the business key still dedupes. */
    recipient: text('recipient').notNull(),
    status: text('status', { enum: messageStatuses }).notNull().default('planned'),
    reason: text('reason', { enum: messageReasons }),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    /** Null when rendered from a built-in default template. */
    templateVersionId: text('template_version_id'),
    variant: text('variant'),
    rendered: text('rendered', { mode: 'json' }).$type<TemplateContent>(),
    /** The template data the text came from (providers with approved templates, such as Aliyun, send these values). */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** BCP 47 locale the text (and its fallback alternatives) was rendered in. */
    locale: text('locale'),
    /** The order state the message assumes; checked again at claim (e.g. `created` for an unpaid reminder). */
    expectsOrderState: text('expects_order_state'),
    /** Why this row exists instead of the one before it, e.g. `channel_opted_out:sms`. */
    fallbackReason: text('fallback_reason'),
    /** The rest of the route with its texts, rendered at planning; the dispatcher falls back along it. */
    alternatives: text('alternatives', { mode: 'json' }).$type<FallbackAlternative[]>(),
    /** When the current or last claim was taken; orders concurrent claims for the budget checks. */
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
    attempts: integer('attempts').notNull().default(0),
    /** While `sending`: when the claim lapses and the reaper takes over. */
    leaseExpiresAt: integer('lease_expires_at', { mode: 'timestamp_ms' }),
    /** Earliest retry after a transient provider error. */
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }),
    /** When the message should go out (moved later by quiet-hours deferral). */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }),
    /** Send-by deadline: after it the text is no longer true, and the message is skipped `expired`. */
    sendBy: integer('send_by', { mode: 'timestamp_ms' }),
    /** The clock quiet hours and day words were judged by, e.g. `America/New_York (phone)`. */
    clock: text('clock'),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    // The business key: planning the same message twice is a no-op.
    uniqueIndex('messages_business_key_uq').on(t.shopId, t.orderId, t.kind, t.step, t.channel, t.recipient),
    // Partial indexes: the dispatcher and reaper read only rows that are due or leased.
    index('messages_due_idx')
      .on(t.dueAt)
      .where(sql`status IN ('planned', 'queued')`),
    index('messages_lease_idx')
      .on(t.leaseExpiresAt)
      .where(sql`status = 'sending'`),
    // The latest claim of a shop still in flight (outbox.ts claimStatement): without it each claim
    // read every message the shop ever had.
    index('messages_sending_claimed_idx')
      .on(t.shopId, t.claimedAt)
      .where(sql`status = 'sending'`),
    index('messages_order_idx').on(t.shopId, t.orderId, t.createdAt),
    index('messages_recipient_sent_idx').on(t.shopId, t.recipient, t.sentAt),
    // The admin list, newest first, paged by (created_at, id).
    index('messages_shop_created_idx').on(t.shopId, t.createdAt, t.id),
    index('messages_buyer_claimed_idx').on(t.shopId, t.buyerId, t.claimedAt),
    // The shop's latest bad-review alert (review-requests/alerts.ts, grouping): without it the read
    // walked every message the shop made in the grouping window (7,000 rows per read at peak).
    index('messages_review_alert_idx')
      .on(t.shopId, t.createdAt)
      .where(sql`kind = 'negative_review_alert'`),
  ],
);

export type Message = typeof messages.$inferSelect;
