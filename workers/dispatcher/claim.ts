/**
 * The claims of a queue batch's dispatch jobs, with everything their sends read, in one D1 round
 * trip of a few statements.
 *
 * D1 runs a database's queries one at a time, and locally Miniflare's D1 costs a fixed amount per
 * statement (BENCHMARKS.md, delivery and peak), so the statements per message, not the dispatcher's
 * own CPU, bound delivery. The jobs a queue batch starts together ask for their claims in the same
 * turn; `batchClaims` collects them (a DataLoader per batch) and sends one batch (one transaction, in
 * order: the reads see the rows as claimed) with one claim of every listed message, one read of
 * their buyers (with the order's state, whether the blacklist holds the buyer, a parcel notice's
 * parcel and whether a review request's order was reviewed), and one read of each shop and its
 * sealed provider credentials. A job run on its own (`claimWithContext`) sends the
 * same statements for itself.
 */
import DataLoader from 'dataloader';
import { and, eq, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { direct, type RunStatements } from '../../shared/db/coalesce';
import { MAX_MERGED_KEYS, pairs, pairsIn, tupleKey } from '../../shared/db/merged';
import { preparedItem } from '../../shared/db/prepared-item';
import {
  blacklist,
  customers,
  messages,
  orders,
  providerCredentials,
  reviews,
  shipments,
  shops,
  type BlacklistType,
  type Customer,
  type Message,
  type Order,
  type Shop,
  type ShipmentStatus,
} from '../../shared/db/schema';
import { claimStatement } from '../../shared/delivery/outbox';
import type { DispatchJob } from '../../shared/delivery/plan';
import type { ParcelState } from '../../shared/shipping/superseded';

/** A provider's stored settings as read: opened only for the providers a send tries. */
export type SealedCredentials = { provider: string; ciphertext: string };

/** What every job of one shop reads: the shop (undefined once deleted) and its default credentials. */
export type ShopContext = { shop: Shop | undefined; credentials: SealedCredentials[] };

export type Claimed = ShopContext & {
  message: Message;
  /** The order's state, the one column of it the send reads; undefined when the order row is gone. */
  order: Pick<Order, 'state'> | undefined;
  customer: Customer | undefined;
  blacklisted: boolean;
  /** The parcel the message's data names (`shipment.id`), for parcel notices' check; null when none. */
  parcel: ParcelState | null;
  /** Whether the order has a review, for review requests' check. */
  reviewed: boolean;
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
const SHOP_STATEMENTS = 2;
const shopContext = ([shopRows, credentials]: ShopResults): ShopContext => ({ shop: shopRows[0], credentials });

/** Whether the message's shop blacklists `value` as `type`: one primary-key lookup. */
const listed = (type: BlacklistType, value: SQLWrapper) =>
  sql`exists(select 1 from ${blacklist} where ${blacklist.shopId} = ${messages.shopId} and ${blacklist.type} = ${type} and ${blacklist.value} = ${value})`;

/**
 * For every listed message (`pairs`, ../../shared/db/merged.ts): its buyer (customers row of the
 * message's buyer id), the order's state, whether the shop's blacklist holds the buyer's id, phone
 * or lower-cased email (policy.ts isBlacklisted, as one read), the parcel its data names
 * (shared/shipping/superseded.ts) and whether the order has a review (shared/reviews/superseded.ts).
 * One row per message that exists; the buyer is null when the message has none or its customers row
 * is gone, the parcel when none is named or its row is gone.
 */
const buyersRead = preparedItem<{ pairs: string }>((db) =>
  db
    .select({
      // Named apart from the buyer's own shop_id and id: D1 answers rows keyed by column name.
      shopId: sql<string>`${messages.shopId}`.as('message_shop_id'),
      id: sql<string>`${messages.id}`.as('message_id'),
      customer: customers,
      // All the send-time policy reads of the order (policy.ts orderMovedOn); null without an order row.
      orderState: sql<
        Order['state'] | null
      >`(select ${orders.state} from ${orders} where ${orders.shopId} = ${messages.shopId} and ${orders.id} = ${messages.orderId})`,
      onBlacklist: sql<number>`(${listed('buyer', messages.buyerId)} or ${listed('phone', customers.phone)}
        or ${listed('email', sql`lower(${customers.email})`)})`,
      parcelStatus: sql<ShipmentStatus | null>`${shipments.status}`.as('parcel_status'),
      parcelMovedAt: sql<number | null>`${shipments.lastMovementAt}`.as('parcel_moved_at'),
      reviewed: sql<number>`exists(select 1 from ${reviews} where ${reviews.shopId} = ${messages.shopId} and ${reviews.orderId} = ${messages.orderId})`,
    })
    .from(messages)
    .leftJoin(customers, and(eq(customers.shopId, messages.shopId), eq(customers.id, messages.buyerId)))
    .leftJoin(
      shipments,
      and(
        eq(shipments.shopId, messages.shopId),
        eq(shipments.id, sql`case when json_valid(${messages.data}) then ${messages.data} ->> '$.shipment.id' end`),
      ),
    )
    .where(pairsIn(messages.shopId, messages.id)),
);

type BuyerRow = {
  shopId: string;
  id: string;
  customer: Customer | null;
  orderState: Order['state'] | null;
  onBlacklist: number;
  parcelStatus: ShipmentStatus | null;
  parcelMovedAt: number | null;
  reviewed: number;
};

/**
 * Claims the jobs' messages and reads their context in one D1 batch. Answers each job, in order:
 * its claimed message with context, or undefined when it was not claimed (not due, taken, or listed
 * earlier in `jobs`: a message is claimed for its first asker only).
 */
export async function claimAll(
  db: Db,
  run: RunStatements,
  jobs: readonly DispatchJob[],
  now: Date,
): Promise<(Claimed | undefined)[]> {
  const keys = jobs.map((j) => ({ shopId: j.shopId, id: j.messageId }));
  const shopIds = [...new Set(jobs.map((j) => j.shopId))];
  const results = await run([
    claimStatement(db, keys, now),
    buyersRead(db, { pairs: pairs(keys, (k) => k.id) }),
    ...shopIds.flatMap((shopId) => shopStatements(db, shopId)),
  ]);
  const [claimedRows, buyerRows] = results as [Message[], BuyerRow[]];
  const claimedById = new Map(claimedRows.map((m) => [tupleKey(m.shopId, m.id), m]));
  const buyerById = new Map(buyerRows.map((b) => [tupleKey(b.shopId, b.id), b]));
  const contextOf = new Map(
    shopIds.map((shopId, i) => {
      const at = 2 + SHOP_STATEMENTS * i;
      return [shopId, shopContext(results.slice(at, at + SHOP_STATEMENTS) as ShopResults)];
    }),
  );
  return jobs.map((job) => {
    const id = tupleKey(job.shopId, job.messageId);
    const message = claimedById.get(id);
    if (!message) return undefined;
    // The first asker takes the claim; a later one of the same message is answered as not claimed.
    claimedById.delete(id);
    const buyer = buyerById.get(id);
    return {
      ...contextOf.get(job.shopId)!,
      message,
      order: buyer?.orderState ? { state: buyer.orderState } : undefined,
      customer: buyer?.customer ?? undefined,
      blacklisted: (buyer?.onBlacklist ?? 0) > 0,
      parcel: buyer?.parcelStatus
        ? {
            status: buyer.parcelStatus,
            lastMovementAt: buyer.parcelMovedAt === null ? null : new Date(buyer.parcelMovedAt),
          }
        : null,
      reviewed: (buyer?.reviewed ?? 0) > 0,
    };
  });
}

/** Claims one job's message with its context. */
export async function claimWithContext(
  db: Db,
  run: RunStatements,
  job: DispatchJob,
  now: Date,
): Promise<Claimed | undefined> {
  const [claimed] = await claimAll(db, run, [job], now);
  return claimed;
}

/** Claims one job's message, sharing the round trip and statements with the other jobs that ask in the same turn. */
export type ClaimJob = (job: DispatchJob, now: Date) => Promise<Claimed | undefined>;

/**
 * A queue batch's claims: the jobs that ask in the same turn of the event loop are claimed together
 * (`claimAll`, one round trip), at the first asker's time.
 */
export function batchClaims(db: Db): ClaimJob {
  const loader = new DataLoader<{ job: DispatchJob; now: Date }, Claimed | undefined>(
    (asks) =>
      claimAll(
        db,
        direct(db),
        asks.map((a) => a.job),
        asks[0]!.now,
      ),
    { cache: false, maxBatchSize: MAX_MERGED_KEYS },
  );
  return (job, now) => loader.load({ job, now });
}
