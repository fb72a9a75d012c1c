/**
 * One reminder pass: claim due reminder timers in batches, read their orders,
 * group them per buyer, apply the pass-time suppression rules, plan one message
 * per buyer, and complete the timers. Each batch is planned as a batch: the claim
 * and the reads of its orders, their buyers and the buyers' paid histories in one
 * D1 batch, renders in memory (each shop and template read once per pass), one D1
 * batch writing the messages and completing the timers together, and one queue
 * `sendBatch` per 100 due messages. Every order that gets no message gets a
 * skipped row with its reason on its timeline. Send-time rules (paid meanwhile,
 * consent, blacklist, quiet hours, one reminder per phone per day) are the
 * dispatcher's.
 */
import { eq } from 'drizzle-orm';
import { db, shards, type Db } from '../../shared/db/client';
import { shops, type Customer, type MessageReason, type Shop } from '../../shared/db/schema';
import type { TemplateMemo } from '../../shared/delivery/compose';
import { deliverySettings, type DeliverySettings } from '../../shared/delivery/settings';
import { planMany, prepareMessage, type DispatchJob, type PreparedMessage } from '../../shared/delivery/plan';
import type { RunCounts } from '../../shared/flows/runner';
import { claimDue, completeMany, type ClaimedTimer } from '../../shared/flows/timers';
import { personaOf, returningFrom, type PaidHistory } from '../../shared/orders/buyer-history';
import { reminderSettings, type ReminderSettings } from '../../shared/orders/reminder-settings';
import type { MessageKind } from '../../shared/templates/kinds';
import { batchFacts, reminderReads, type BatchFacts, type ReminderOrder } from './orders';
import { suppressionReason } from './suppress';
import { reminderSendBy, reminderVariables, shippingWords, type ShippingWords } from './variables';

export type PassCounts = RunCounts;
export type PassEnv = { DB: D1Database; DISPATCH: Queue; DISPATCH_SCHEDULED: Queue; PUBLIC_URL: string };

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
  const pass: PassState = { shops: new Map(), templates: new Map(), publicUrl: env.PUBLIC_URL };
  for (const d1 of shards(env)) {
    for (const [step, kind] of Object.entries(reminderTimers)) {
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const q = { flow: FLOW, steps: [step], dueBy: now, now, limit: BATCH, shopId } as const;
        const claimed = await claimDue(d1, q, reminderReads(d1));
        counts.claimed += claimed.timers.length;
        counts.rows_read += claimed.rowsRead;
        const facts = batchFacts(claimed.reads);
        await planBatch(env, d1, kind, groupByBuyer(claimed.timers, facts.orders), facts, now, counts, pass);
        if (claimed.timers.length < BATCH) break;
        if (batch === MAX_BATCHES - 1) counts.more = true;
      }
    }
  }
  return counts;
}

/**
 * What a pass reads or works out once and reuses across its batches: each shop with its reminder
 * settings and what its reminders say about the shipping day at `now`, the templates, and the
 * gateway's public URL its short links point at.
 */
type PassState = { shops: Map<string, ShopPlan | undefined>; templates: TemplateMemo; publicUrl: string };
/** `shipping` is worked out on first use: a batch whose orders are all skipped never asks for it. */
type ShopPlan = { shop: Shop; rules: ReminderSettings; delivery: DeliverySettings; shipping: () => ShippingWords };

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

/** The shop with what its reminders share, read and worked out once per pass; undefined for a shop that is gone. */
async function shopPlan(database: Db, shopId: string, now: Date, pass: PassState): Promise<ShopPlan | undefined> {
  if (!pass.shops.has(shopId)) {
    const shop = await database.query.shops.findFirst({ where: eq(shops.id, shopId) });
    let words: ShippingWords | undefined;
    const shipping = () => (words ??= shippingWords(shop!, now));
    const plan = shop && {
      shop,
      rules: reminderSettings(shop.reminders),
      delivery: deliverySettings(shop.delivery),
      shipping,
    };
    pass.shops.set(shopId, plan);
  }
  return pass.shops.get(shopId);
}

/**
 * Plans a claimed batch from the facts read with its claim: every group's messages and skip records
 * rendered in memory, and one D1 batch that inserts them all (one statement) and completes the batch's
 * timers (one statement), then one `sendBatch` per 100 due messages.
 */
async function planBatch(
  env: PassEnv,
  d1: D1Database,
  kind: MessageKind,
  groups: Claimed[][],
  facts: BatchFacts,
  now: Date,
  counts: PassCounts,
  pass: PassState,
) {
  if (groups.length === 0) return;
  const database = db(d1);
  const prepared: PreparedMessage[] = [];
  for (const group of groups) {
    const shopId = group[0]!.timer.shopId;
    const plan = await shopPlan(database, shopId, now, pass);
    if (!plan) continue; // a shop that is gone: its timers are completed below, nothing is planned
    const buyers = {
      customers: facts.customers.get(shopId) ?? new Map<string, Customer>(),
      histories: facts.histories.get(shopId) ?? new Map<string, PaidHistory>(),
    };
    prepared.push(...(await prepareGroup(database, kind, group, { ...plan, ...buyers }, now, pass)));
  }
  const completion = completeMany(
    d1,
    groups.flat().map((c) => c.timer),
    now,
  );
  // A pass's messages go on the scheduled lane: a trigger's notice never waits behind them.
  const results = await planMany(d1, env.DISPATCH_SCHEDULED as Queue<DispatchJob>, prepared, [completion], now);
  for (const [i, result] of results.entries()) {
    if (result.duplicate) continue;
    const reason = prepared[i]!.row.reason;
    if (result.status === 'queued') counts.planned++;
    else if (reason) counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
  }
}

type Facts = ShopPlan & { customers: Map<string, Customer>; histories: Map<string, PaidHistory> };

/** One buyer's group: the suppression rules, one message listing every unpaid order, skip records for the rest. */
async function prepareGroup(
  database: Db,
  kind: MessageKind,
  group: Claimed[],
  facts: Facts,
  now: Date,
  pass: PassState,
): Promise<PreparedMessage[]> {
  const { shop, rules } = facts;
  const first = group.find((c) => c.order)?.order;
  if (!first) return [];
  const customer = first.buyerId ? facts.customers.get(first.buyerId) : undefined;
  const history = first.buyerId ? facts.histories.get(first.buyerId) : undefined;
  const recentSince = now.getTime() - rules.skip_recently_paid_hours * 3_600_000;
  const recentlyPaid = rules.skip_recently_paid_hours > 0 && !!history && history.lastPaidAt >= recentSince;
  const unpaid = group
    .flatMap((c) => (c.order?.state === 'created' ? [c.order] : []))
    .sort((a, b) => (a.placedAt ?? 0) - (b.placedAt ?? 0));
  const locale = customer?.locale ?? 'zh-CN';
  const common = {
    shop,
    delivery: facts.delivery,
    customer: customer ?? null,
    kind,
    locale,
    expectsOrderState: 'created' as const,
    publicUrl: pass.publicUrl,
  };
  const out: PreparedMessage[] = [];
  const skip = async (order: ReminderOrder, reason: MessageReason) => {
    const audience = { returning: false };
    out.push(
      await prepareMessage(database, { ...common, audience, orderId: order.id, data: {}, skipReason: reason }, now),
    );
  };
  const eligible: ReminderOrder[] = [];
  for (const order of unpaid) {
    const reason = recentlyPaid ? 'recently_paid' : suppressionReason(order, rules);
    if (reason) await skip(order, reason);
    else eligible.push(order);
  }
  const [primary, ...others] = eligible;
  if (primary) {
    const audience = { returning: returningFrom(history, primary), persona: personaOf(customer) };
    const data = reminderVariables({
      shop,
      order: primary,
      others,
      customer,
      returning: audience.returning,
      locale,
      payUrlTemplate: rules.pay_url_template,
      shipping: facts.shipping(),
    });
    const sendBy = reminderSendBy(kindOf(kind), primary, facts.shipping());
    out.push(
      await prepareMessage(database, { ...common, audience, orderId: primary.id, data, sendBy }, now, pass.templates),
    );
    // One message lists every unpaid order of the buyer; the others record why they got none.
    for (const order of others) await skip(order, 'merged');
  }
  return out;
}

function kindOf(kind: MessageKind): 'unpaid_reminder' | 'preclose_reminder' {
  if (kind === 'unpaid_reminder' || kind === 'preclose_reminder') return kind;
  throw new Error(`not a reminder kind: ${kind}`);
}
