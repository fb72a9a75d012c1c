/**
 * Recomputes the pending reminder due times of a shop's unpaid orders after its
 * settings change (cutoff, calendar, lead, minimum age, quiet hours, rules).
 * Orders whose reminder was already planned (due time cleared) are left alone.
 */
import { and, eq, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, type Shop } from '../db/schema';
import { reminderDueTimes, reminderShop } from './reminder-due';

const CHUNK = 50;

export async function rescheduleReminders(db: Db, shop: Shop): Promise<number> {
  const pending = await db
    .select({ id: orders.id, placedAt: orders.placedAt, createdAt: orders.createdAt, autoCloseAt: orders.autoCloseAt })
    .from(orders)
    .where(
      and(
        eq(orders.shopId, shop.id),
        eq(orders.state, 'created'),
        or(isNotNull(orders.reminderDueAt), isNotNull(orders.precloseDueAt)),
      ),
    );
  const rules = reminderShop(shop);
  const updates = pending.map((o) => {
    const due = reminderDueTimes(o.placedAt ?? o.createdAt, o.autoCloseAt, rules);
    return db
      .update(orders)
      .set(due)
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, o.id), eq(orders.state, 'created')));
  });
  for (let i = 0; i < updates.length; i += CHUNK) {
    const chunk = updates.slice(i, i + CHUNK);
    await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
  }
  return pending.length;
}
