/**
 * Send-time policy, checked by the dispatcher after it claims a message and
 * before any provider call: the order is still as the message assumed, the
 * send-by deadline, consent by message class and opt-out, blacklist, quiet hours
 * on the buyer's clock (deferred, not dropped, unless the deferral would pass the
 * deadline), the cross-channel frequency budget, and one reminder per phone per day.
 * The rules per class are in docs/MESSAGE-CLASSES.md.
 */
import { and, eq, gte, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  blacklist,
  messages,
  type Customer,
  type Message,
  type MessageReason,
  type Order,
  type Shop,
} from '../db/schema';
import {
  classOf,
  isTransactional,
  messageKinds,
  messageKindNames,
  type MessageClass,
  type MessageKind,
} from '../templates/kinds';
import { clockFor, parseClockLabel } from '../time/buyer-clock';
import { atLocalTime, quietUntil } from '../time/zoned';
import { alreadyReviewed } from '../reviews/superseded';
import { parcelMovedOn, type ParcelState } from '../shipping/superseded';
import type { DeliverySettings } from './settings';

export type Verdict =
  | { action: 'send' }
  | { action: 'end'; status: 'skipped' | 'cancelled'; reason: MessageReason }
  | { action: 'defer'; until: Date; reason: 'quiet_hours_deferred' }
  /** The channel cannot be used for this buyer: end this row and try the next channel. */
  | { action: 'fallback'; status: 'skipped'; reason: MessageReason };

export type PolicyInput = {
  message: Message;
  /** Only its state is read. */
  order: Pick<Order, 'state'> | undefined;
  customer: Customer | undefined;
  shop: Shop;
  settings: DeliverySettings;
  now: Date;
  /** Whether the shop's blacklist holds the buyer's phone, email or id, when read with the claim; else read here. */
  blacklisted?: boolean;
  /** The parcel a parcel notice speaks about, when read with the claim (null: none); else read here. */
  parcel?: ParcelState | null;
  /** Whether the order has a review, when read with the claim; else read here (review requests only). */
  reviewed?: boolean;
};

const REMINDER_KINDS: MessageKind[] = ['unpaid_reminder', 'preclose_reminder'];
const CAPPED_KINDS = messageKindNames.filter((k) => !isTransactional(k));
const COUNTED = ['sent', 'delivered'] as const;

function orderMovedOn(m: Message, order: Pick<Order, 'state'> | undefined): MessageReason | null {
  if (!m.expectsOrderState || !order || order.state === m.expectsOrderState) return null;
  if (order.state === 'cancelled') return 'cancelled';
  if (m.expectsOrderState === 'created' && order.state !== 'created') return 'paid';
  return 'order_state_changed';
}

/** Rows that already count: sent or delivered, or claimed before this one (the earlier claim wins a race). */
function countedBefore(m: Message) {
  return or(
    inArray(messages.status, [...COUNTED]),
    and(
      eq(messages.status, 'sending'),
      sql`(${messages.claimedAt}, ${messages.id}) < (${m.claimedAt!.getTime()}, ${m.id})`,
    ),
  );
}

async function isBlacklisted(db: Db, m: Message, customer: Customer | undefined): Promise<boolean> {
  const keys = [
    customer?.phone ? { type: 'phone' as const, value: customer.phone } : null,
    customer?.email ? { type: 'email' as const, value: customer.email.toLowerCase() } : null,
    m.buyerId ? { type: 'buyer' as const, value: m.buyerId } : null,
  ].filter((k) => k !== null);
  if (keys.length === 0) return false;
  const hit = await db
    .select({ value: blacklist.value })
    .from(blacklist)
    .where(
      and(
        eq(blacklist.shopId, m.shopId),
        or(...keys.map((k) => and(eq(blacklist.type, k.type), eq(blacklist.value, k.value)))),
      ),
    )
    .limit(1);
  return hit.length > 0;
}

/** Other messages of the shop that already count against `m`: sent, delivered, or claimed before it. */
async function countOthers(db: Db, m: Message, ...where: SQL[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(messages)
    .where(and(eq(messages.shopId, m.shopId), ne(messages.id, m.id), countedBefore(m), ...where));
  return row?.n ?? 0;
}

async function overBudget(db: Db, m: Message, settings: DeliverySettings, now: Date): Promise<boolean> {
  if (!m.buyerId) return false;
  const since = new Date(now.getTime() - settings.frequency_cap.window_hours * 3_600_000);
  const sent = await countOthers(
    db,
    m,
    eq(messages.buyerId, m.buyerId),
    gte(messages.claimedAt, since),
    inArray(messages.kind, CAPPED_KINDS),
  );
  return sent >= settings.frequency_cap.max;
}

async function phoneRemindedToday(db: Db, m: Message, shop: Shop, now: Date): Promise<boolean> {
  const dayStart = atLocalTime(now, shop.timezone, { hour: 0, minute: 0 });
  const sent = await countOthers(
    db,
    m,
    eq(messages.recipient, m.recipient),
    inArray(messages.kind, REMINDER_KINDS),
    gte(messages.claimedAt, dayStart),
  );
  return sent > 0;
}

/** Whether a message of class `cls` lacks the consent it needs. Transactional notices need none. */
export function lacksConsent(cls: MessageClass, settings: DeliverySettings, customer: Customer | undefined): boolean {
  const needed =
    (cls === 'service' && settings.service_consent === 'required') ||
    (cls === 'promotional' && settings.promotional_consent === 'required');
  return needed && !customer?.marketingConsent;
}

/** True when the message's text is no longer true at `at` (its send-by deadline has passed). */
export const pastDeadline = (m: Pick<Message, 'sendBy'>, at: Date) =>
  m.sendBy !== null && at.getTime() >= m.sendBy.getTime();

export async function checkPolicy(db: Db, input: PolicyInput): Promise<Verdict> {
  const { message: m, order, customer, shop, settings, now } = input;
  const kind = m.kind as MessageKind;
  const moved = orderMovedOn(m, order);
  if (moved) return { action: 'end', status: 'cancelled', reason: moved };
  if (await parcelMovedOn(db, m, input.parcel)) return { action: 'end', status: 'skipped', reason: 'superseded' };
  if (pastDeadline(m, now)) return { action: 'end', status: 'skipped', reason: 'expired' };
  if (await alreadyReviewed(db, m, input.reviewed)) return { action: 'end', status: 'skipped', reason: 'reviewed' };
  // Staff recipients (alerts, and template test sends to staff) are not buyers: buyer rules do not apply.
  if (messageKinds[kind].audience === 'staff' || m.purpose === 'test') return { action: 'send' };

  if (customer?.optedOutChannels.includes(m.channel))
    return { action: 'fallback', status: 'skipped', reason: 'opted_out' };
  const cls = classOf(kind);
  if (lacksConsent(cls, settings, customer)) return { action: 'end', status: 'skipped', reason: 'no_consent' };
  if (customer?.blacklisted || (input.blacklisted ?? (await isBlacklisted(db, m, customer))))
    return { action: 'end', status: 'skipped', reason: 'blacklisted' };

  if (cls !== 'transactional' || settings.transactional_quiet_hours === 'defer') {
    // The buyer's own clock, as fixed on the message at planning (or the customer's now, for older rows).
    const clock = parseClockLabel(m.clock) ?? clockFor(customer, shop.timezone);
    const until = quietUntil(now, clock.zone, shop.quietHours);
    // Waiting past the deadline would only send it once untrue: skip it now.
    if (until && pastDeadline(m, until)) return { action: 'end', status: 'skipped', reason: 'expired' };
    if (until) return { action: 'defer', until, reason: 'quiet_hours_deferred' };
  }
  if (cls !== 'transactional' && (await overBudget(db, m, settings, now)))
    return { action: 'end', status: 'skipped', reason: 'frequency_cap' };
  if (REMINDER_KINDS.includes(kind) && m.channel === 'sms' && (await phoneRemindedToday(db, m, shop, now))) {
    return { action: 'end', status: 'skipped', reason: 'duplicate_phone_today' };
  }
  return { action: 'send' };
}
