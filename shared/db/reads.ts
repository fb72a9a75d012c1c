/**
 * The key reads every flow trigger makes (its shop, order, buyer, parcels), built once per drizzle
 * client and bound per use (./prepared-item.ts). Building a relational query with drizzle cost more
 * CPU than anything else the flow workers do: about 40% of a flow isolate's time in the peak
 * replay (BENCHMARKS.md, peak). The SQL and the mapped rows are what the query builders gave.
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
/** An order's parcels in a stable order: their position is a notice's step. */
const parcelsRead = preparedItem<{ shopId: string; orderId: string }>((db) =>
  db
    .select()
    .from(shipments)
    .where(and(eq(shipments.shopId, slot('shopId')), eq(shipments.orderId, slot('orderId'))))
    .orderBy(asc(shipments.createdAt), asc(shipments.id))
    .limit(50),
);
const latestEventRead = preparedItem<{ shopId: string; shipmentId: string }>((db) =>
  db
    .select()
    .from(trackingEvents)
    .where(and(eq(trackingEvents.shopId, slot('shopId')), eq(trackingEvents.shipmentId, slot('shipmentId'))))
    .orderBy(desc(trackingEvents.occurredAt))
    .limit(1),
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

export const orderByKey = (db: Db, shopId: string, orderId: string) => first<Order>(orderRead(db, { shopId, orderId }));

export const customerByKey = (db: Db, shopId: string, customerId: string) =>
  first<Customer>(customerRead(db, { shopId, customerId }));

export const parcelsOfOrder = (db: Db, shopId: string, orderId: string) =>
  rowsOf<Shipment>(parcelsRead(db, { shopId, orderId }));

export const latestTrackingEvent = (db: Db, shopId: string, shipmentId: string) =>
  first<TrackingEvent>(latestEventRead(db, { shopId, shipmentId }));

/** A prepared item awaited alone runs as its own statement (in a shared round trip when coalesced). */
export const rowsOf = <T>(item: unknown): Promise<T[]> => Promise.resolve(item as PromiseLike<T[]>);
export const first = async <T>(item: unknown): Promise<T | undefined> => (await rowsOf<T>(item))[0];
