/**
 * Claiming due orders: a scan of the partial index on the due column (its rows
 * read grow with the due orders, not the backlog), then a conditional
 * UPDATE ... RETURNING of the rows still due, so overlapping passes never take
 * the same order. The claim pushes the due
 * time forward by a lease instead of clearing it: if the pass dies before it
 * has planned, the order comes due again and planning (a no-op on the
 * message's business key) resumes.
 */
export type DueColumn = 'reminder_due_at' | 'preclose_due_at';

export type ClaimedOrder = {
  shopId: string;
  id: string;
  buyerId: string | null;
  state: string;
  total: string | null;
  currency: string | null;
  items: { sku?: string; title: string; quantity: number; unit_price: string }[];
  placedAt: number | null;
  autoCloseAt: number | null;
  payUrl: string | null;
};

export const CLAIM_LEASE_MS = 10 * 60_000;

const dueIndex: Record<DueColumn, string> = {
  reminder_due_at: 'orders_reminder_due_idx',
  preclose_due_at: 'orders_preclose_due_idx',
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

export async function claimDue(
  d1: D1Database,
  column: DueColumn,
  now: Date,
  limit: number,
  shopId?: string,
): Promise<{ orders: ClaimedOrder[]; rowsRead: number }> {
  // The scan: due rows only, through the partial index. INDEXED BY pins it: with a shop filter the
  // planner would otherwise walk the shop's primary key and read its whole backlog.
  const scan = await d1
    .prepare(
      `SELECT rowid AS r FROM orders INDEXED BY ${dueIndex[column]}
       WHERE ${column} <= ?1 ${shopId ? 'AND shop_id = ?3' : ''} ORDER BY ${column} LIMIT ?2`,
    )
    .bind(...(shopId ? [now.getTime(), limit, shopId] : [now.getTime(), limit]))
    .all<{ r: number }>();
  if (scan.results.length === 0) return { orders: [], rowsRead: scan.meta.rows_read ?? 0 };
  // The claim: only rows still due are taken, so a pass running alongside gets each order at most once.
  const claimed = await d1
    .prepare(
      `UPDATE orders SET ${column} = ?3
       WHERE rowid IN (SELECT value FROM json_each(?1)) AND ${column} <= ?2
       RETURNING shop_id, id, buyer_id, state, total, currency, items, placed_at, auto_close_at, pay_url`,
    )
    .bind(JSON.stringify(scan.results.map((row) => row.r)), now.getTime(), now.getTime() + CLAIM_LEASE_MS)
    .all<Row>();
  return { rowsRead: scan.meta.rows_read ?? 0, orders: claimed.results.map(toClaimed) };
}

function toClaimed(r: Row): ClaimedOrder {
  return {
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
  };
}

/** Ends the claim: the order has its message (or its recorded skip). */
export function release(d1: D1Database, column: DueColumn, shopId: string, ids: string[]) {
  return ids.map((id) =>
    d1.prepare(`UPDATE orders SET ${column} = NULL WHERE shop_id = ? AND id = ?`).bind(shopId, id),
  );
}
