/**
 * Writes one verified webhook event: the intake row, the buyer and the order
 * state change, and a trigger for every flow subscribed to the event type (the
 * flow registry decides which), all in one D1 batch (one transaction). The
 * intake row is a plain INSERT, so a duplicate `webhook-id` fails the whole
 * batch and changes nothing, even when two deliveries race. The intake makes no
 * flow decision: what a trigger means is the flow's business.
 */
import { and, eq, exists, sql, type SQL } from 'drizzle-orm';
import { d1For, dbFor, type Db } from '../../../shared/db/client';
import { prepared, preparedRow, rawOf, runRaw, type RawStatement } from '../../../shared/db/prepared';
import { customers, orders, webhookEvents, type IntakeSource } from '../../../shared/db/schema';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import { newId } from '../../../shared/crypto/random';
import { subscribers } from '../../../shared/flows/registry';
import { armedOf, armSubscribers, type TimerKey } from '../../../shared/flows/timers';
import { stateOf, stateRank } from '../../../shared/orders/state-machine';
import { orderValues, type OrderValues } from './order-values';
import { reviewStatements } from './reviews';
import { buyerClock } from '../../../shared/time/buyer-clock';
import { shipmentStatements } from './shipments';

export type IntakeResult = { status: 'accepted'; eventId: string; triggers: TimerKey[] } | { status: 'duplicate' };

type OrderKey = keyof typeof orders.$inferInsert;
const existing = (key: OrderKey) => sql.raw(`"orders"."${orders[key].name}"`);
const incoming = (key: OrderKey) => sql.raw(`excluded."${orders[key].name}"`);

/** Columns kept from the newest event that carries them; older events only fill gaps. */
const detailKeys: OrderKey[] = [
  'buyerId',
  'currency',
  'total',
  'items',
  'shippingAddress',
  'placedAt',
  'autoCloseAt',
  'payUrl',
  'detailsAt',
];
/** Facts set once: the first value recorded stays. */
const factKeys: OrderKey[] = ['paidAt', 'cancelledAt', 'cancelReason', 'shippedAt', 'completedAt', 'refundedAt'];
const stateKeys: OrderKey[] = ['state', 'stateRank', 'stateAt', 'stateEventId'];

/** ON CONFLICT SET for orders: SQLite evaluates every expression against the row as it was. */
function orderUpsertSet() {
  const newerState = sql`(${incoming('stateRank')}, ${incoming('stateAt')}) > (${existing('stateRank')}, ${existing('stateAt')})`;
  const newerDetails = sql`${incoming('detailsAt')} IS NOT NULL AND (${existing('detailsAt')} IS NULL OR ${incoming('detailsAt')} > ${existing('detailsAt')})`;
  const set: Partial<Record<OrderKey, SQL>> = { updatedAt: incoming('updatedAt') };
  for (const k of stateKeys) set[k] = sql`CASE WHEN ${newerState} THEN ${incoming(k)} ELSE ${existing(k)} END`;
  for (const k of detailKeys) {
    set[k] =
      sql`CASE WHEN ${newerDetails} THEN coalesce(${incoming(k)}, ${existing(k)}) ELSE coalesce(${existing(k)}, ${incoming(k)}) END`;
  }
  for (const k of factKeys) set[k] = sql`coalesce(${existing(k)}, ${incoming(k)})`;
  return set;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : error);
  return text.includes('UNIQUE constraint failed') && text.includes('webhook_events');
}

/** `armAt`: the index of the statement that arms the event's triggers (`armSubscribers`), if any. */
export type IntakeBatch = { statements: RawStatement[]; armAt?: number };

/**
 * The statements of one accepted event, built but not run. `recordEvent` runs them; the intake
 * bench's floor worker takes them once and replays their SQL raw. The statements every event
 * writes are built once per isolate and shape (shared/db/prepared.ts); the parcel and review
 * statements of the rarer event types are built per event.
 */
export function intakeStatements(
  db: Db,
  shopId: string,
  webhookId: string,
  event: WebhookEventBody,
  ids: { eventId: string; now: Date; source?: IntakeSource },
): IntakeBatch {
  const { eventId, now, source = 'native' } = ids;
  const occurredAt = new Date(event.timestamp);
  const state = stateOf(event);
  const orderId = event.data.order_id;
  const statements: RawStatement[] = [];

  const eventRow = {
    id: eventId,
    shopId,
    webhookId,
    source,
    type: event.type,
    orderId,
    occurredAt,
    receivedAt: now,
    outcome: state ? ('stale' as const) : ('recorded' as const),
    payload: event,
  };
  statements.push(preparedRow('intake.event', eventRow, (p) => db.insert(webhookEvents).values(p)));

  if (state) {
    const values: OrderValues = orderValues(event);
    if (values.buyer)
      statements.push(upsertCustomer(db, shopId, values.buyer, values.order.shippingAddress, occurredAt, now));
    const orderRow = {
      ...values.order,
      shopId,
      id: orderId,
      state,
      stateRank: stateRank[state],
      stateAt: occurredAt,
      stateEventId: eventId,
      createdAt: now,
      updatedAt: now,
    };
    statements.push(
      preparedRow('intake.order', orderRow, (p) =>
        db
          .insert(orders)
          .values(p)
          .onConflictDoUpdate({ target: [orders.shopId, orders.id], set: orderUpsertSet() }),
      ),
      prepared('intake.applied', () => markApplied(db), { eventId, shopId, orderId }),
    );
  }

  statements.push(...shipmentStatements(db, shopId, eventId, event, now).map(rawOf));
  statements.push(...reviewStatements(db, shopId, event, now).map(rawOf));

  // Every accepted event arms its subscribers' triggers, stale ones too: the flow reads the order
  // as it is when it runs and decides what the event still means. The arm's result names the
  // triggers it armed (`armedTriggers`).
  const subscribed = subscribers(event);
  if (subscribed.length === 0) return { statements };
  const armAt = statements.push(armSubscribers({ shopId, orderId }, subscribed, now, eventId)) - 1;
  return { statements, armAt };
}

/** The triggers an event's batch armed, from its results: the flows to wake. */
function armedTriggers(shopId: string, event: WebhookEventBody, batch: IntakeBatch, results: D1Result[]): TimerKey[] {
  if (batch.armAt === undefined) return [];
  return armedOf({ shopId, orderId: event.data.order_id }, results[batch.armAt]!);
}

/** The event applied: only if the order's state now names it (a newer state leaves it stale). */
function markApplied(db: Db) {
  const [eventId, shopId, orderId] = [
    sql.placeholder('eventId'),
    sql.placeholder('shopId'),
    sql.placeholder('orderId'),
  ];
  const stateFromEvent = and(eq(orders.shopId, shopId), eq(orders.id, orderId), eq(orders.stateEventId, eventId));
  return db
    .update(webhookEvents)
    .set({ outcome: 'applied' })
    .where(
      and(
        eq(webhookEvents.id, eventId),
        exists(
          db
            .select({ one: sql`1` })
            .from(orders)
            .where(stateFromEvent),
        ),
      ),
    );
}

export async function recordEvent(
  env: { DB: D1Database },
  shopId: string,
  webhookId: string,
  event: WebhookEventBody,
  source: IntakeSource = 'native',
  now = new Date(),
): Promise<IntakeResult> {
  const eventId = newId('evt');
  const ids = { eventId, now, source };
  const batch = intakeStatements(dbFor(env, shopId), shopId, webhookId, event, ids);
  let results: D1Result[];
  try {
    results = await runRaw(d1For(env, shopId), batch.statements);
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'duplicate' };
    throw error;
  }
  return { status: 'accepted', eventId, triggers: armedTriggers(shopId, event, batch, results) };
}

function upsertCustomer(
  db: Db,
  shopId: string,
  buyer: NonNullable<OrderValues['buyer']>,
  address: OrderValues['order']['shippingAddress'],
  at: Date,
  now: Date,
) {
  // The buyer's own clock: explicit zone, else the address, else the phone's country (shared/time/buyer-clock.ts).
  const clock = buyerClock({ timezone: buyer.timezone, address, phone: buyer.phone });
  const fields = {
    timezone: clock?.zone ?? null,
    timezoneSource: clock?.source ?? null,
    name: buyer.name,
    phone: buyer.phone,
    email: buyer.email,
    locale: buyer.locale,
    tags: buyer.tags ?? [],
    marketingConsent: buyer.marketing_consent,
  };
  const row = { shopId, id: buyer.id, ...fields, detailsAt: at, createdAt: now, updatedAt: now };
  return preparedRow('intake.customer', row, (p) => {
    const { shopId: _s, id: _i, createdAt: _c, ...set } = p;
    return db
      .insert(customers)
      .values(p)
      .onConflictDoUpdate({
        target: [customers.shopId, customers.id],
        set: {
          // Placeholders stand in for values here (drizzle binds them as it would the values).
          ...(set as unknown as Partial<Record<keyof typeof row, SQL>>),
          // An event that says nothing about the clock (no zone, address or phone) keeps the one held.
          timezone: sql`coalesce(excluded.timezone, ${customers.timezone})`,
          timezoneSource: sql`case when excluded.timezone is null then ${customers.timezoneSource} else excluded.timezone_source end`,
        },
        // Contact details follow the newest event; a late older event leaves them alone.
        setWhere: sql`excluded.details_at >= ${customers.detailsAt}`,
      });
  });
}
