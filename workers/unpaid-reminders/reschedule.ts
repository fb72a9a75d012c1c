/**
 * Recomputes the armed reminder timers of a shop's unpaid orders after its
 * settings change (cutoff, calendar, lead, minimum age, quiet hours, rules).
 * Timers already run (reminder planned) stay done. The gateway calls this over
 * the service binding after PATCH /v1/shop and the holiday import.
 */
import { dbFor, runBatch } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import { disarm, rearmPending } from '../../shared/flows/timers';
import { eq } from 'drizzle-orm';
import { reminderDueTimes, reminderShop } from './reminder-due';

const CHUNK = 50;
type Pending = { id: string; placed_at: number | null; created_at: number; auto_close_at: number | null };

export async function rescheduleReminders(env: { DB: D1Database }, shopId: string, now = new Date()): Promise<number> {
  const db = dbFor(env, shopId);
  const shop = await db.query.shops.findFirst({ where: eq(shops.id, shopId) });
  if (!shop) return 0;
  const { results: pending } = await env.DB.prepare(
    `SELECT DISTINCT o.id, o.placed_at, o.created_at, o.auto_close_at
     FROM flow_timers t JOIN orders o ON o.shop_id = t.shop_id AND o.id = t.order_id
     WHERE t.shop_id = ?1 AND t.flow = 'unpaid-reminders' AND t.step IN ('reminder', 'preclose')
       AND t.due_at IS NOT NULL AND o.state = 'created'`,
  )
    .bind(shopId)
    .all<Pending>();
  const rules = reminderShop(shop);
  const updates = pending.flatMap((o) => {
    const due = reminderDueTimes(
      new Date(o.placed_at ?? o.created_at),
      o.auto_close_at ? new Date(o.auto_close_at) : null,
      rules,
    );
    const key = { shopId, flow: 'unpaid-reminders', orderId: o.id } as const;
    return [
      due.reminderDueAt
        ? rearmPending(db, { ...key, step: 'reminder' }, due.reminderDueAt, now)
        : disarm(db, key, ['reminder'], now),
      due.precloseDueAt
        ? rearmPending(db, { ...key, step: 'preclose' }, due.precloseDueAt, now)
        : disarm(db, key, ['preclose'], now),
    ];
  });
  for (let i = 0; i < updates.length; i += CHUNK) {
    await runBatch(db, updates.slice(i, i + CHUNK));
  }
  return pending.length;
}
