/** The claimed timers' orders, read in one query by primary key. */
import type { ClaimedTimer } from '../../shared/flows/timers';
import type { OrderItem } from '../../shared/db/schema';

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

/** The orders behind `timers` (one D1 query); a timer whose order is gone has no entry. */
export async function ordersOf(d1: D1Database, timers: ClaimedTimer[]): Promise<ReminderOrder[]> {
  if (timers.length === 0) return [];
  const keys = JSON.stringify(timers.map((t) => [t.shopId, t.orderId]));
  const { results } = await d1
    .prepare(
      `SELECT o.shop_id, o.id, o.buyer_id, o.state, o.total, o.currency, o.items, o.placed_at, o.auto_close_at, o.pay_url
       FROM json_each(?1) AS k JOIN orders AS o ON o.shop_id = k.value ->> 0 AND o.id = k.value ->> 1`,
    )
    .bind(keys)
    .all<Row>();
  return results.map((r) => ({
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
  }));
}
