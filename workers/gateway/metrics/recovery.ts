/**
 * Payment recovery of unpaid reminders: a reminded order paid within the
 * shop's recovery window after the reminder was sent counts as recovered.
 * Grouped per local day of sending (shop time) and per template variant.
 */
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { messages, orders, type Shop } from '../../../shared/db/schema';
import { reminderSettings } from '../../../shared/orders/reminder-settings';
import { localDate } from '../../../shared/time/zoned';

export type RecoveryRow = {
  date: string;
  kind: string;
  variant: string;
  template_version_id: string | null;
  reminders_sent: number;
  orders_recovered: number;
  /** Per currency, as decimal strings. */
  amount_recovered: Record<string, string>;
  recovery_rate: number;
};

/** Money is summed in 1/10,000ths so decimal strings add up exactly. */
const units = (amount: string | null) => Math.round(Number(amount ?? 0) * 10_000);
const decimal = (u: number) => (u / 10_000).toFixed(2);

export async function recovery(db: Db, shop: Shop, from: Date, to: Date): Promise<RecoveryRow[]> {
  const windowMs = reminderSettings(shop.reminders).recovery_window_hours * 3_600_000;
  const sent = await db.query.messages.findMany({
    where: and(
      eq(messages.shopId, shop.id),
      inArray(messages.kind, ['unpaid_reminder', 'preclose_reminder']),
      inArray(messages.status, ['sent', 'delivered']),
      gte(messages.sentAt, from),
      lt(messages.sentAt, to),
    ),
  });
  const orderIds = [...new Set(sent.flatMap((m) => remindedOrders(m.orderId, m.data)))];
  const paid = new Map<string, { paidAt: Date | null; total: string | null; currency: string | null }>();
  for (let i = 0; i < orderIds.length; i += 90) {
    const rows = await db
      .select({ id: orders.id, paidAt: orders.paidAt, total: orders.total, currency: orders.currency })
      .from(orders)
      .where(and(eq(orders.shopId, shop.id), inArray(orders.id, orderIds.slice(i, i + 90))));
    for (const row of rows) paid.set(row.id, row);
  }

  const groups = new Map<string, RecoveryRow & { amounts: Record<string, number>; recoveredMessages: number }>();
  for (const m of sent) {
    const date = localDate(m.sentAt!, shop.timezone);
    const key = [date, m.kind, m.variant ?? 'base', m.templateVersionId ?? 'default'].join('|');
    const g = groups.get(key) ?? {
      date,
      kind: m.kind,
      variant: m.variant ?? 'base',
      template_version_id: m.templateVersionId,
      reminders_sent: 0,
      orders_recovered: 0,
      amount_recovered: {},
      recovery_rate: 0,
      amounts: {},
      recoveredMessages: 0,
    };
    g.reminders_sent++;
    let any = false;
    for (const id of remindedOrders(m.orderId, m.data)) {
      const o = paid.get(id);
      const at = o?.paidAt?.getTime();
      if (at === undefined || at < m.sentAt!.getTime() || at > m.sentAt!.getTime() + windowMs) continue;
      any = true;
      g.orders_recovered++;
      const currency = o!.currency ?? 'CNY';
      g.amounts[currency] = (g.amounts[currency] ?? 0) + units(o!.total);
    }
    if (any) g.recoveredMessages++;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ amounts, recoveredMessages, ...row }) => ({
      ...row,
      amount_recovered: Object.fromEntries(Object.entries(amounts).map(([c, u]) => [c, decimal(u)])),
      recovery_rate: row.reminders_sent ? Math.round((recoveredMessages / row.reminders_sent) * 10_000) / 10_000 : 0,
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || a.variant.localeCompare(b.variant));
}

/** A reminder covers its own order and any others of the buyer it listed. */
function remindedOrders(orderId: string, data: Record<string, unknown> | null): string[] {
  const listed = (data?.unpaid as { order_ids?: unknown } | undefined)?.order_ids;
  return Array.isArray(listed) && listed.every((id) => typeof id === 'string') ? listed : [orderId];
}
