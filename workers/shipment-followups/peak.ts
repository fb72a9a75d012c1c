/**
 * The peak notice: when a shop's `peak:<start>` timer comes due, every buyer
 * with a parcel still on the way, or with a paid order not yet shipped, gets
 * one `holiday_delay_notice` for that peak (the message step is the peak's
 * start date, so one per order and peak). Work is bounded: at most PAGE orders
 * a run; the timer comes due again at once while orders remain.
 */
import { eq } from 'drizzle-orm';
import { dbFor, runBatch } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import { arm, complete, type ClaimedTimer } from '../../shared/flows/timers';
import { peaksOf, shipmentSettings } from '../../shared/shipping/settings';
import { loadContext, parcelData } from './context';
import type { Plan } from './pass';
import { parcelRequest, type ShipmentEnv } from './triggers';

const PAGE = 500;

export async function peakNotices(env: ShipmentEnv, timer: ClaimedTimer, now: Date, plan: Plan) {
  const db = dbFor(env, timer.shopId);
  const shop = await db.query.shops.findFirst({ where: eq(shops.id, timer.shopId) });
  const start = timer.step.slice('peak:'.length);
  const peak = shop ? peaksOf(shipmentSettings(shop.shipmentFollowups)).find((p) => p.start === start) : undefined;
  if (!shop || !peak) return void (await runBatch(db, [complete(db, timer, now)]));
  const step = Number(start.replaceAll('-', ''));
  // Orders with a parcel on the way or paid and unshipped, that have no notice for this peak yet.
  const { results } = await env.DB.prepare(
    `SELECT o.id FROM orders o
     WHERE o.shop_id = ?1 AND (o.state = 'paid' OR EXISTS (
       SELECT 1 FROM shipments s WHERE s.shop_id = o.shop_id AND s.order_id = o.id
         AND (s.status IS NULL OR s.status NOT IN ('delivered', 'returned'))))
     AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.shop_id = o.shop_id AND m.order_id = o.id
       AND m.kind = 'holiday_delay_notice' AND m.step = ?2)
     ORDER BY o.id LIMIT ?3`,
  )
    .bind(shop.id, step, PAGE)
    .all<{ id: string }>();
  for (const { id } of results) {
    const ctx = await loadContext(db, shop.id, id);
    if (!ctx?.order) continue;
    const parcel = ctx.parcels.find((p) => !p.shipment.deliveredAt);
    const data = {
      ...parcelData(ctx, parcel, env.PUBLIC_URL),
      holiday: { name: peak.name, delay_days: peak.delay_days },
    };
    await plan(parcelRequest(ctx, step, 'holiday_delay_notice', data, env.PUBLIC_URL));
  }
  const more = results.length === PAGE;
  const key = { shopId: shop.id, flow: timer.flow, orderId: '', step: timer.step };
  await runBatch(db, more ? [arm(db, key, now, now, { rearm: 'exact' })] : [complete(db, timer, now)]);
}
