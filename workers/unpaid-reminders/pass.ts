/**
 * One reminder pass: claim due orders in batches, group them per buyer, apply
 * the pass-time suppression rules, plan one message per buyer, and release the
 * claims. Every order that gets no message gets a skipped row with its reason
 * on its timeline. Send-time rules (paid meanwhile, consent, blacklist, quiet
 * hours, one reminder per phone per day) are the dispatcher's.
 */
import { and, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import { db as drizzleDb, type Db } from '../../shared/db/client';
import { customers, orders, shops, type MessageReason, type Shop } from '../../shared/db/schema';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import type { RunCounts } from '../../shared/flows/runner';
import { reminderSettings } from '../../shared/orders/reminder-settings';
import type { MessageKind } from '../../shared/templates/kinds';
import { claimDue, release, type ClaimedOrder, type DueColumn } from './claim';
import { suppressionReason } from './suppress';
import { reminderVariables } from './variables';

export type PassCounts = RunCounts;

export type PassEnv = { DB: D1Database; DISPATCH: Queue };
const BATCH = 200;
const MAX_BATCHES = 10;

const passes: [MessageKind, DueColumn][] = [
  ['unpaid_reminder', 'reminder_due_at'],
  ['preclose_reminder', 'preclose_due_at'],
];

export async function runPass(env: PassEnv, now: Date, shopId?: string): Promise<PassCounts> {
  const counts: PassCounts = { claimed: 0, planned: 0, skipped: {}, rows_read: 0, more: false };
  const db = drizzleDb(env.DB);
  const shopCache = new Map<string, Shop | undefined>();
  for (const [kind, column] of passes) {
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const claimed = await claimDue(env.DB, column, now, BATCH, shopId);
      counts.claimed += claimed.orders.length;
      counts.rows_read += claimed.rowsRead;
      for (const group of groupByBuyer(claimed.orders)) {
        await planGroup(db, env, kind, column, group, now, counts, shopCache);
      }
      if (claimed.orders.length < BATCH) break;
      if (batch === MAX_BATCHES - 1) counts.more = true;
    }
  }
  return counts;
}

function groupByBuyer(claimed: ClaimedOrder[]): ClaimedOrder[][] {
  const groups = new Map<string, ClaimedOrder[]>();
  for (const o of claimed) {
    const key = `${o.shopId}\u0000${o.buyerId ?? `order:${o.id}`}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()];
}

async function loadShop(db: Db, id: string, cache: Map<string, Shop | undefined>) {
  if (!cache.has(id)) cache.set(id, await db.query.shops.findFirst({ where: eq(shops.id, id) }));
  return cache.get(id);
}

async function planGroup(
  db: Db,
  env: PassEnv,
  kind: MessageKind,
  column: DueColumn,
  group: ClaimedOrder[],
  now: Date,
  counts: PassCounts,
  shopCache: Map<string, Shop | undefined>,
) {
  const first = group[0]!;
  const shop = await loadShop(db, first.shopId, shopCache);
  const done = group.map((o) => o.id);
  if (!shop) return void (await env.DB.batch(release(env.DB, column, first.shopId, done)));
  const rules = reminderSettings(shop.reminders);
  const customer = first.buyerId
    ? await db.query.customers.findFirst({ where: and(eq(customers.shopId, shop.id), eq(customers.id, first.buyerId)) })
    : undefined;
  const paidBefore = first.buyerId
    ? await db
        .select({ id: orders.id, paidAt: orders.paidAt })
        .from(orders)
        .where(and(eq(orders.shopId, shop.id), eq(orders.buyerId, first.buyerId), isNotNull(orders.paidAt)))
        .limit(50)
    : [];
  const recentSince = now.getTime() - rules.skip_recently_paid_hours * 3_600_000;
  const recentlyPaid = rules.skip_recently_paid_hours > 0 && paidBefore.some((o) => o.paidAt!.getTime() >= recentSince);

  const unpaid = group.filter((o) => o.state === 'created').sort((a, b) => (a.placedAt ?? 0) - (b.placedAt ?? 0));
  const locale = customer?.locale ?? 'zh-CN';
  const common = {
    shop,
    customer: customer ?? null,
    kind,
    locale,
    audience: { returning: paidBefore.length > 0 },
    expectsOrderState: 'created' as const,
  };
  const skip = async (order: ClaimedOrder, reason: MessageReason) => {
    await planMessage(db, undefined, { ...common, orderId: order.id, data: {}, skipReason: reason }, now);
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
  };

  const eligible: ClaimedOrder[] = [];
  for (const order of unpaid) {
    const reason = recentlyPaid ? 'recently_paid' : suppressionReason(order, rules);
    if (reason) await skip(order, reason);
    else eligible.push(order);
  }
  const [primary, ...others] = eligible;
  if (primary) {
    const data = reminderVariables({
      shop,
      order: primary,
      others,
      customer,
      returning: paidBefore.length > 0,
      locale,
      payUrlTemplate: rules.pay_url_template,
      now,
    });
    const result = await planMessage(
      db,
      env.DISPATCH as Queue<DispatchJob>,
      { ...common, orderId: primary.id, data },
      now,
    );
    if (!result.duplicate && result.status === 'queued') counts.planned++;
    else if (!result.duplicate) counts.skipped[result.reason!] = (counts.skipped[result.reason!] ?? 0) + 1;
    // One message lists every unpaid order of the buyer; the others record why they got none.
    for (const order of others) await skip(order, 'merged');
  }
  await env.DB.batch(release(env.DB, column, shop.id, done));
}
