/**
 * The key reads every flow trigger makes (its shop, order, buyer, parcels), built once per drizzle
 * client and bound per use (./prepared-item.ts). Building a relational query with drizzle cost more
 * CPU than anything else the flow workers do: about 40% of a flow isolate's time in the peak
 * replay (BENCHMARKS.md, peak). The SQL and the mapped rows are what the query builders gave.
 *
 * The order, buyer, parcels and each parcel's newest tracking event of a queue batch's triggers are
 * read in one statement each (./merged.ts), as are their timer claims (../flows/timers.ts) and
 * returning-buyer checks.
 *
 * The shop is read once per shop and queue batch (`perBatch`): on a batch's coalesced binding
 * (./coalesced-d1.ts) the first trigger's read is shared by the batch's other triggers of that
 * shop, as the dispatcher shares its shop reads per batch. On a plain binding (a pass, a test, the
 * simulator) every call reads. A batch lasts well under a second, and a change to the shop reaches
 * the next batch.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { plainD1 } from './coalesced-d1';
import { groupBy } from '../lang/group-by';
import { merged, newestPerPair, pairs, pairsIn, tupleKey } from './merged';
import { preparedItem } from './prepared-item';
import { customers, orders, shipments, shops, trackingEvents } from './schema';
import type { Customer, Order, Shipment, Shop, TrackingEvent } from './schema';

/** A value bound per use of a prepared statement (./prepared-item.ts). */
export const slot = (name: string) => sql.placeholder(name);

const shopRead = preparedItem<{ shopId: string }>((db) =>
  db
    .select()
    .from(shops)
    .where(eq(shops.id, slot('shopId')))
    .limit(1),
);
const orderRead = preparedItem<{ shopId: string; orderId: string }>((db) =>
  db
    .select()
    .from(orders)
    .where(and(eq(orders.shopId, slot('shopId')), eq(orders.id, slot('orderId'))))
    .limit(1),
);
const customerRead = preparedItem<{ shopId: string; customerId: string }>((db) =>
  db
    .select()
    .from(customers)
    .where(and(eq(customers.shopId, slot('shopId')), eq(customers.id, slot('customerId'))))
    .limit(1),
);
const PARCELS_PER_ORDER = 50;
/** An order's parcels in a stable order: their position is a notice's step. */
const parcelsRead = preparedItem<{ shopId: string; orderId: string }>((db) =>
  db
    .select()
    .from(shipments)
    .where(and(eq(shipments.shopId, slot('shopId')), eq(shipments.orderId, slot('orderId'))))
    .orderBy(asc(shipments.createdAt), asc(shipments.id))
    .limit(PARCELS_PER_ORDER),
);
const latestEventRead = preparedItem<{ shopId: string; shipmentId: string }>((db) =>
  db
    .select()
    .from(trackingEvents)
    .where(and(eq(trackingEvents.shopId, slot('shopId')), eq(trackingEvents.shipmentId, slot('shipmentId'))))
    .orderBy(desc(trackingEvents.occurredAt))
    .limit(1),
);
/** The newest tracking event of each listed parcel: `latestEventRead` per pair, in one statement. */
const latestEventsRead = preparedItem<{ pairs: string }>((db) =>
  db
    .select()
    .from(trackingEvents)
    .where(newestPerPair('tracking_events', 'shipment_id', 'occurred_at')),
);

const ordersRead = preparedItem<{ pairs: string }>((db) =>
  db.select().from(orders).where(pairsIn(orders.shopId, orders.id)),
);
const customersRead = preparedItem<{ pairs: string }>((db) =>
  db.select().from(customers).where(pairsIn(customers.shopId, customers.id)),
);
/** Every listed order's parcels in `parcelsRead`'s order, at most `limit` in all. */
const parcelsOfOrdersRead = preparedItem<{ pairs: string; limit: number }>((db) =>
  db
    .select()
    .from(shipments)
    .where(pairsIn(shipments.shopId, shipments.orderId))
    .orderBy(asc(shipments.createdAt), asc(shipments.id))
    .limit(slot('limit')),
);

/** Per coalesced binding (one queue batch): reads shared by the batch's triggers, by key. */
const batchReads = new WeakMap<D1Database, Map<string, Promise<unknown>>>();

/**
 * `read()`, shared by every caller in the same queue batch that asks for the same `key` (on a
 * coalesced binding); on a plain binding it simply reads. A failed read is not shared: the next
 * caller reads again.
 */
export function perBatch<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  const d1 = db.$client;
  if (plainD1(d1) === d1) return read();
  let reads = batchReads.get(d1);
  if (!reads) batchReads.set(d1, (reads = new Map()));
  let shared = reads.get(key) as Promise<T> | undefined;
  if (!shared) {
    shared = read();
    reads.set(key, shared);
    shared.catch(() => reads.delete(key));
  }
  return shared;
}

export const shopById = (db: Db, shopId: string): Promise<Shop | undefined> =>
  perBatch(db, `shop:${shopId}`, () => first<Shop>(shopRead(db, { shopId })));

type OrderKey = { shopId: string; orderId: string };
type CustomerKey = { shopId: string; customerId: string };

/**
 * A read of at most one row per (shop, key) pair, merged per queue batch into one statement of
 * `manyRead`; `rowKeyOf` names the key a row answers (by default its id).
 */
export function rowPerPair<K extends { shopId: string }, R extends { shopId: string }>(
  name: string,
  keyOf: (key: K) => string,
  oneRead: (db: Db, key: K) => unknown,
  manyRead: (db: Db, values: { pairs: string }) => unknown,
  rowKeyOf: (row: R) => string = (row) => (row as R & { id: string }).id,
) {
  return merged<K, R | undefined>({
    name,
    one: (db, k) => first<R>(oneRead(db, k)),
    many: async (db, keys) => {
      const rows = await rowsOf<R>(manyRead(db, { pairs: pairs(keys, keyOf) }));
      const byKey = new Map(rows.map((r) => [tupleKey(r.shopId, rowKeyOf(r)), r]));
      return keys.map((k) => byKey.get(tupleKey(k.shopId, keyOf(k))));
    },
  });
}

const orderOf = rowPerPair<OrderKey, Order>('order', (k) => k.orderId, orderRead, ordersRead);
const customerOf = rowPerPair<CustomerKey, Customer>('customer', (k) => k.customerId, customerRead, customersRead);
type ParcelKey = { shopId: string; shipmentId: string };
const latestEventOf = rowPerPair<ParcelKey, TrackingEvent>(
  'latest-event',
  (k) => k.shipmentId,
  latestEventRead,
  latestEventsRead,
  (r) => r.shipmentId,
);
const parcelsOf = merged<OrderKey, Shipment[]>({
  name: 'parcels',
  one: (db, k) => rowsOf<Shipment>(parcelsRead(db, k)),
  many: async (db, keys) => {
    const limit = PARCELS_PER_ORDER * keys.length;
    const json = pairs(keys, (k) => k.orderId);
    const rows = await rowsOf<Shipment>(parcelsOfOrdersRead(db, { pairs: json, limit: limit + 1 }));
    // More rows than 50 per order: some order has more than it may read; each reads alone, bounded.
    if (rows.length > limit) return Promise.all(keys.map((k) => rowsOf<Shipment>(parcelsRead(db, k))));
    const byOrder = groupBy(rows, (r) => tupleKey(r.shopId, r.orderId));
    return keys.map((k) => (byOrder.get(tupleKey(k.shopId, k.orderId)) ?? []).slice(0, PARCELS_PER_ORDER));
  },
});

/** The order by key; the triggers of one queue batch read theirs in one statement (./merged.ts). */
export const orderByKey = (db: Db, shopId: string, orderId: string) => orderOf(db, { shopId, orderId });

/** The buyer by key; merged per queue batch like `orderByKey`. */
export const customerByKey = (db: Db, shopId: string, customerId: string) => customerOf(db, { shopId, customerId });

/** The order's parcels (at most 50, oldest first); merged per queue batch like `orderByKey`. */
export const parcelsOfOrder = (db: Db, shopId: string, orderId: string) => parcelsOf(db, { shopId, orderId });

/** The parcel's newest tracking event; merged per queue batch like `orderByKey`. */
export const latestTrackingEvent = (db: Db, shopId: string, shipmentId: string) =>
  latestEventOf(db, { shopId, shipmentId });

/** A prepared item awaited alone runs as its own statement (in a shared round trip when coalesced). */
export const rowsOf = <T>(item: unknown): Promise<T[]> => Promise.resolve(item as PromiseLike<T[]>);
export const first = async <T>(item: unknown): Promise<T | undefined> => (await rowsOf<T>(item))[0];
