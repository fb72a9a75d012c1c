/**
 * Writes one verified webhook event: the intake row, the buyer and the order
 * state change, all in one D1 batch (one transaction). The intake row is a plain
 * INSERT, so a duplicate `webhook-id` fails the whole batch and changes nothing,
 * even when two deliveries race.
 */
import { and, eq, exists, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { db as drizzleDb } from '../../../shared/db/client';
import { customers, orders, webhookEvents } from '../../../shared/db/schema';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import { newId } from '../../../shared/crypto/random';
import { stateOf, stateRank } from '../../../shared/orders/state-machine';
import { orderValues, type OrderValues } from './order-values';

export type IntakeResult = { status: 'accepted'; eventId: string } | { status: 'duplicate' };

const existing = (column: string) => sql.raw(`"orders"."${column}"`);
const incoming = (column: string) => sql.raw(`excluded."${column}"`);

/** Columns kept from the newest event that carries them; older events only fill gaps. */
const detailColumns = ['buyer_id', 'currency', 'total', 'items', 'shipping_address', 'placed_at', 'auto_close_at'];
/** Facts set once: the first value recorded stays. */
const factColumns = ['paid_at', 'cancelled_at', 'cancel_reason', 'shipped_at', 'completed_at', 'refunded_at'];
const stateColumns = ['state', 'state_rank', 'state_at', 'state_event_id'];

function orderUpsertSet() {
  const newerState = sql`(${incoming('state_rank')}, ${incoming('state_at')}) > (${existing('state_rank')}, ${existing('state_at')})`;
  const newerDetails = sql`${incoming('details_at')} IS NOT NULL AND (${existing('details_at')} IS NULL OR ${incoming('details_at')} > ${existing('details_at')})`;
  const set: Record<string, ReturnType<typeof sql>> = {};
  for (const c of stateColumns) {
    set[c] = sql`CASE WHEN ${newerState} THEN ${incoming(c)} ELSE ${existing(c)} END`;
  }
  for (const c of [...detailColumns, 'details_at']) {
    set[c] = sql`CASE WHEN ${newerDetails} THEN coalesce(${incoming(c)}, ${existing(c)}) ELSE coalesce(${existing(c)}, ${incoming(c)}) END`;
  }
  for (const c of factColumns) set[c] = sql`coalesce(${existing(c)}, ${incoming(c)})`;
  set.updated_at = incoming('updated_at');
  return set;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : error);
  return text.includes('UNIQUE constraint failed') && text.includes('webhook_events');
}

export async function recordEvent(d1: D1Database, shopId: string, webhookId: string, event: WebhookEventBody): Promise<IntakeResult> {
  const db = drizzleDb(d1);
  const now = new Date();
  const eventId = newId('evt');
  const occurredAt = new Date(event.timestamp);
  const state = stateOf(event);
  const statements: BatchItem<'sqlite'>[] = [];

  statements.push(
    db.insert(webhookEvents).values({
      id: eventId,
      shopId,
      webhookId,
      type: event.type,
      orderId: event.data.order_id,
      occurredAt,
      receivedAt: now,
      outcome: state ? 'stale' : 'recorded',
      payload: event,
    }),
  );

  if (state) {
    const values: OrderValues = orderValues(event);
    if (values.buyer) statements.push(upsertCustomer(db, shopId, values.buyer, occurredAt, now));
    statements.push(
      db
        .insert(orders)
        .values({
          ...values.order,
          shopId,
          id: event.data.order_id,
          state,
          stateRank: stateRank[state],
          stateAt: occurredAt,
          stateEventId: eventId,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({ target: [orders.shopId, orders.id], set: orderUpsertSet() }),
      db
        .update(webhookEvents)
        .set({ outcome: 'applied' })
        .where(
          and(
            eq(webhookEvents.id, eventId),
            exists(
              db
                .select({ one: sql`1` })
                .from(orders)
                .where(and(eq(orders.shopId, shopId), eq(orders.id, event.data.order_id), eq(orders.stateEventId, eventId))),
            ),
          ),
        ),
    );
  }

  try {
    await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'duplicate' };
    throw error;
  }
  return { status: 'accepted', eventId };
}

function upsertCustomer(db: ReturnType<typeof drizzleDb>, shopId: string, buyer: NonNullable<OrderValues['buyer']>, at: Date, now: Date) {
  const fields = { name: buyer.name, phone: buyer.phone, email: buyer.email, locale: buyer.locale, tags: buyer.tags ?? [] };
  return db
    .insert(customers)
    .values({ shopId, id: buyer.id, ...fields, detailsAt: at, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [customers.shopId, customers.id],
      set: { ...fields, detailsAt: at, updatedAt: now },
      // Contact details follow the newest event; a late older event leaves them alone.
      setWhere: sql`excluded.details_at >= ${customers.detailsAt}`,
    });
}
