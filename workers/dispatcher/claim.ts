/**
 * The claim of one dispatch job, with everything its send reads, in one D1 round trip.
 *
 * D1 runs a database's queries one at a time, so the round trips and the statements per message,
 * not the dispatcher's own CPU, bound delivery (BENCHMARKS.md, delivery). A job's claim goes to D1 in
 * one batch (one transaction, in order: the reads see the row as claimed) with two statements:
 * the claim, and the buyer with the order's state and whether the blacklist holds the buyer. The shop and its sealed
 * provider credentials are the same for every job of the shop: the queue handler reads them once
 * per queue batch (`sharedShopReads`), in the same coalesced round trip as the claims; a job run on
 * its own reads them in its claim's batch.
 */
import { and, eq, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { preparedItem } from '../../shared/db/prepared-item';
import type { RunStatements } from '../../shared/db/coalesce';
import {
  blacklist,
  customers,
  messages,
  orders,
  providerCredentials,
  shops,
  type BlacklistType,
  type Customer,
  type Message,
  type Order,
  type Shop,
} from '../../shared/db/schema';
import { claimStatement } from '../../shared/delivery/outbox';
import type { DispatchJob } from '../../shared/delivery/plan';

/** A provider's stored settings as read: opened only for the providers a send tries. */
export type SealedCredentials = { provider: string; ciphertext: string };

/** What every job of one shop reads: the shop (undefined once deleted) and its default credentials. */
export type ShopContext = { shop: Shop | undefined; credentials: SealedCredentials[] };

/** Reads a shop's context; the promise settles with the round trip that carried the statements. */
export type ShopReads = (shopId: string) => Promise<ShopContext>;

export type Claimed = ShopContext & {
  message: Message;
  /** The order's state, the one column of it the send reads; undefined when the order row is gone. */
  order: Pick<Order, 'state'> | undefined;
  customer: Customer | undefined;
  blacklisted: boolean;
};

const shopStatements = (db: Db, shopId: string) =>
  [
    db.select().from(shops).where(eq(shops.id, shopId)),
    db
      .select({ provider: providerCredentials.provider, ciphertext: providerCredentials.ciphertext })
      .from(providerCredentials)
      .where(and(eq(providerCredentials.shopId, shopId), eq(providerCredentials.label, 'default'))),
  ] as const;

type ShopResults = [Shop[], SealedCredentials[]];
const shopContext = ([shopRows, credentials]: ShopResults): ShopContext => ({ shop: shopRows[0], credentials });

/**
 * One read of each shop's context per queue batch, shared by the batch's jobs. Asked for in the
 * same turn as their claims, it rides in the claims' coalesced round trip and transaction, so every
 * job sees exactly what a read of its own in that batch would have returned.
 */
export function sharedShopReads(db: Db, run: RunStatements): ShopReads {
  const reads = new Map<string, Promise<ShopContext>>();
  return (shopId) => {
    let read = reads.get(shopId);
    if (!read) {
      read = run([...shopStatements(db, shopId)]).then((results) => shopContext(results as ShopResults));
      reads.set(shopId, read);
    }
    return read;
  };
}

/** Whether the message's shop blacklists `value` as `type`: one primary-key lookup. */
const listed = (type: BlacklistType, value: SQLWrapper) =>
  sql`exists(select 1 from ${blacklist} where ${blacklist.shopId} = ${messages.shopId} and ${blacklist.type} = ${type} and ${blacklist.value} = ${value})`;

/** A value bound per use of a prepared statement (shared/db/prepared-item.ts). */
const bound = (name: keyof DispatchJob) => sql`${sql.placeholder(name)}`;

/**
 * The buyer (customers row of the message's buyer id), the order's state, and whether the shop's
 * blacklist holds the buyer's id, phone or lower-cased email (policy.ts isBlacklisted, as one read).
 * One row while the message exists; the buyer is null when the message has none or its customers
 * row is gone.
 */
const buyerStatement = preparedItem<DispatchJob>((db) =>
  db
    .select({
      customer: customers,
      // All the send-time policy reads of the order (policy.ts orderMovedOn); null without an order row.
      orderState: sql<
        Order['state'] | null
      >`(select ${orders.state} from ${orders} where ${orders.shopId} = ${messages.shopId} and ${orders.id} = ${messages.orderId})`,
      onBlacklist: sql<number>`(${listed('buyer', messages.buyerId)} or ${listed('phone', customers.phone)}
        or ${listed('email', sql`lower(${customers.email})`)})`,
    })
    .from(messages)
    .leftJoin(customers, and(eq(customers.shopId, messages.shopId), eq(customers.id, messages.buyerId)))
    .where(and(eq(messages.shopId, bound('shopId')), eq(messages.id, bound('messageId')))),
);

/**
 * Claims the job's message and reads its context in one D1 batch. Undefined when the message was
 * not claimed (not due, or taken). `shopReads` shares the shop's reads among a queue batch's jobs;
 * without it they run in this job's batch.
 */
export async function claimWithContext(
  db: Db,
  run: RunStatements,
  job: DispatchJob,
  now: Date,
  shopReads?: ShopReads,
): Promise<Claimed | undefined> {
  const own = [claimStatement(db, job.shopId, job.messageId, now), buyerStatement(db, job)];
  const shared = shopReads?.(job.shopId);
  const [results, sharedContext] = await Promise.all([
    run(shared ? own : [...own, ...shopStatements(db, job.shopId)]),
    shared,
  ]);
  const [claimedRows, buyerRows] = results as [
    Message[],
    { customer: Customer | null; orderState: Order['state'] | null; onBlacklist: number }[],
  ];
  const context = sharedContext ?? shopContext(results.slice(own.length) as ShopResults);
  const message = claimedRows[0];
  if (!message) return undefined;
  const buyer = buyerRows[0];
  return {
    ...context,
    message,
    order: buyer?.orderState ? { state: buyer.orderState } : undefined,
    customer: buyer?.customer ?? undefined,
    blacklisted: (buyer?.onBlacklist ?? 0) > 0,
  };
}
