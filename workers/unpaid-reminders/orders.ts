/**
 * What a reminder batch needs to plan, read in the claim's own D1 batch (`claimDue`'s reads): the
 * claimed timers' orders by primary key, their buyers' customer rows, and the buyers' paid histories.
 */
import type { ClaimReads } from '../../shared/flows/timers';
import { fromDriverRows } from '../../shared/db/driver-rows';
import { customers as customersTable, type Customer, type OrderItem } from '../../shared/db/schema';
import { historiesFrom, paidHistoriesSql, type PaidHistory } from '../../shared/orders/buyer-history';

export type ReminderOrder = {
  shopId: string;
  id: string;
  buyerId: string | null;
  state: string;
  total: string | null;
  currency: string | null;
  items: OrderItem[];
  placedAt: number | null;
  autoCloseAt: number | null;
  payUrl: string | null;
};

type Row = {
  shop_id: string;
  id: string;
  buyer_id: string | null;
  state: string;
  total: string | null;
  currency: string | null;
  items: string | null;
  placed_at: number | null;
  auto_close_at: number | null;
  pay_url: string | null;
};

/** A batch's facts; a timer whose order is gone has no order, a buyer with no row no customer. */
export type BatchFacts = {
  orders: ReminderOrder[];
  /** By shop, then buyer id. */
  customers: Map<string, Map<string, Customer>>;
  /** By shop, then buyer id; buyers who never paid have none. */
  histories: Map<string, Map<string, PaidHistory>>;
};

/** The three reads, in this order, over the claim's `claimed` subquery (see `ClaimReads`). */
export const reminderReads =
  (d1: D1Database): ClaimReads =>
  (claimed, params) => {
    const orders = `(${claimed}) AS t JOIN orders AS o ON o.shop_id = t.shop_id AND o.id = t.order_id`;
    const buyers = `SELECT DISTINCT o.shop_id, o.buyer_id FROM ${orders} WHERE o.buyer_id IS NOT NULL`;
    return [
      `SELECT o.shop_id, o.id, o.buyer_id, o.state, o.total, o.currency, o.items, o.placed_at, o.auto_close_at, o.pay_url
       FROM ${orders}`,
      `SELECT c.* FROM (${buyers}) AS b JOIN customers AS c ON c.shop_id = b.shop_id AND c.id = b.buyer_id`,
      paidHistoriesSql(buyers),
    ].map((sql) => d1.prepare(sql).bind(...params));
  };

/** Reads the results of `reminderReads` (none when the claim took nothing). */
export function batchFacts(results: D1Result[]): BatchFacts {
  const [orders, customers, histories] = results;
  const byShop = new Map<string, Map<string, Customer>>();
  for (const c of fromDriverRows(customersTable, (customers?.results ?? []) as Record<string, unknown>[])) {
    let shop = byShop.get(c.shopId);
    if (!shop) byShop.set(c.shopId, (shop = new Map()));
    shop.set(c.id, c);
  }
  return {
    orders: ((orders?.results ?? []) as Row[]).map((r) => ({
      shopId: r.shop_id,
      id: r.id,
      buyerId: r.buyer_id,
      state: r.state,
      total: r.total,
      currency: r.currency,
      items: r.items ? JSON.parse(r.items) : [],
      placedAt: r.placed_at,
      autoCloseAt: r.auto_close_at,
      payUrl: r.pay_url,
    })),
    customers: byShop,
    histories: historiesFrom((histories?.results ?? []) as Parameters<typeof historiesFrom>[0]),
  };
}
