/**
 * One reminder pass: claim due reminder timers in batches, read their orders,
 * group them per buyer, apply the pass-time suppression rules, plan one message
 * per buyer, and complete the timers. Every order that gets no message gets a
 * skipped row with its reason on its timeline. Send-time rules (paid meanwhile,
 * consent, blacklist, quiet hours, one reminder per phone per day) are the
 * dispatcher's.
 */
import { and, eq, gte, isNotNull } from 'drizzle-orm';
import { dbFor, runBatch, shards, type Db } from '../../shared/db/client';
import { customers, orders, shops, type MessageReason, type Shop } from '../../shared/db/schema';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import type { RunCounts } from '../../shared/flows/runner';
import { claimDue, complete, type ClaimedTimer } from '../../shared/flows/timers';
import { audienceOf } from '../../shared/orders/buyer-history';
import { reminderSettings } from '../../shared/orders/reminder-settings';
import type { MessageKind } from '../../shared/templates/kinds';
import { ordersOf, type ReminderOrder } from './orders';
import { suppressionReason } from './suppress';
import { reminderSendBy, reminderVariables } from './variables';

export type PassCounts = RunCounts;
export type PassEnv = { DB: D1Database; DISPATCH: Queue };

const FLOW = 'unpaid-reminders';
const BATCH = 200;
const MAX_BATCHES = 10;
/** The flow's timers, one per reminder kind. */
export const reminderTimers: Record<'reminder' | 'preclose', MessageKind> = {
  reminder: 'unpaid_reminder',
  preclose: 'preclose_reminder',
};

export async function runPass(env: PassEnv, now: Date, shopId?: string): Promise<PassCounts> {
  const counts: PassCounts = { claimed: 0, planned: 0, skipped: {}, rows_read: 0, more: false };
  const shopCache = new Map<string, Shop | undefined>();
  for (const d1 of shards(env)) {
    for (const [step, kind] of Object.entries(reminderTimers)) {
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const q = { flow: FLOW, steps: [step], dueBy: now, now, limit: BATCH, shopId } as const;
        const claimed = await claimDue(d1, q);
        counts.claimed += claimed.timers.length;
        counts.rows_read += claimed.rowsRead;
        const found = await ordersOf(d1, claimed.timers);
        for (const group of groupByBuyer(claimed.timers, found)) {
          await planGroup(env, kind, group, now, counts, shopCache);
        }
        if (claimed.timers.length < BATCH) break;
        if (batch === MAX_BATCHES - 1) counts.more = true;
      }
    }
  }
  return counts;
}

type Claimed = { timer: ClaimedTimer; order: ReminderOrder | undefined };

function groupByBuyer(timers: ClaimedTimer[], found: ReminderOrder[]): Claimed[][] {
  const byKey = new Map(found.map((o) => [`${o.shopId}\u0000${o.id}`, o]));
  const groups = new Map<string, Claimed[]>();
  for (const timer of timers) {
    const order = byKey.get(`${timer.shopId}\u0000${timer.orderId}`);
    const key = `${timer.shopId}\u0000${order?.buyerId ?? `order:${timer.orderId}`}`;
    groups.set(key, [...(groups.get(key) ?? []), { timer, order }]);
  }
  return [...groups.values()];
}

async function loadShop(db: Db, id: string, cache: Map<string, Shop | undefined>) {
  if (!cache.has(id)) cache.set(id, await db.query.shops.findFirst({ where: eq(shops.id, id) }));
  return cache.get(id);
}

async function planGroup(
  env: PassEnv,
  kind: MessageKind,
  group: Claimed[],
  now: Date,
  counts: PassCounts,
  shopCache: Map<string, Shop | undefined>,
) {
  const shopId = group[0]!.timer.shopId;
  const db = dbFor(env, shopId);
  const done = () =>
    runBatch(
      db,
      group.map((c) => complete(db, c.timer, now)),
    );
  const shop = await loadShop(db, shopId, shopCache);
  const first = group.find((c) => c.order)?.order;
  if (!shop || !first) return void (await done());
  const rules = reminderSettings(shop.reminders);
  const customer = first.buyerId
    ? await db.query.customers.findFirst({ where: and(eq(customers.shopId, shop.id), eq(customers.id, first.buyerId)) })
    : undefined;
  const recentSince = new Date(now.getTime() - rules.skip_recently_paid_hours * 3_600_000);
  const recentlyPaid =
    rules.skip_recently_paid_hours > 0 && first.buyerId
      ? (
          await db
            .select({ id: orders.id })
            .from(orders)
            .where(
              and(
                eq(orders.shopId, shop.id),
                eq(orders.buyerId, first.buyerId),
                isNotNull(orders.paidAt),
                gte(orders.paidAt, recentSince),
              ),
            )
            .limit(1)
        ).length > 0
      : false;
  const unpaid = group
    .flatMap((c) => (c.order?.state === 'created' ? [c.order] : []))
    .sort((a, b) => (a.placedAt ?? 0) - (b.placedAt ?? 0));
  const locale = customer?.locale ?? 'zh-CN';
  const common = { shop, customer: customer ?? null, kind, locale, expectsOrderState: 'created' as const };
  const skip = async (order: ReminderOrder, reason: MessageReason) => {
    const audience = { returning: false };
    await planMessage(db, undefined, { ...common, audience, orderId: order.id, data: {}, skipReason: reason }, now);
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
  };
  const eligible: ReminderOrder[] = [];
  for (const order of unpaid) {
    const reason = recentlyPaid ? 'recently_paid' : suppressionReason(order, rules);
    if (reason) await skip(order, reason);
    else eligible.push(order);
  }
  const [primary, ...others] = eligible;
  if (primary) {
    const audience = await audienceOf(db, primary, customer);
    const data = reminderVariables({
      shop,
      order: primary,
      others,
      customer,
      returning: audience.returning,
      locale,
      payUrlTemplate: rules.pay_url_template,
      now,
    });
    const result = await planMessage(
      db,
      env.DISPATCH as Queue<DispatchJob>,
      { ...common, audience, orderId: primary.id, data, sendBy: reminderSendBy(kindOf(kind), shop, primary, now) },
      now,
    );
    if (!result.duplicate && result.status === 'queued') counts.planned++;
    else if (!result.duplicate) counts.skipped[result.reason!] = (counts.skipped[result.reason!] ?? 0) + 1;
    // One message lists every unpaid order of the buyer; the others record why they got none.
    for (const order of others) await skip(order, 'merged');
  }
  await done();
}

function kindOf(kind: MessageKind): 'unpaid_reminder' | 'preclose_reminder' {
  if (kind === 'unpaid_reminder' || kind === 'preclose_reminder') return kind;
  throw new Error(`not a reminder kind: ${kind}`);
}
