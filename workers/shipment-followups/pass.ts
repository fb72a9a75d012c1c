/**
 * The flow's cron pass over its own timers: `care:<shipment>` plans the
 * delivered care message (held to the end of quiet hours), `stall:<shipment>`
 * alerts staff about a parcel that has not moved for longer than is normal for
 * its carrier and status (and, if the shop wants, sends the buyer one note).
 * Only due timers are read, through the one timer index.
 */
import { flowBinding } from '../../shared/flows/merges';
import { inLanes, orderLane } from '../../shared/flows/lanes';
import { dbFor, runBatch, shards } from '../../shared/db/client';
import { planMessage, type DispatchJob, type PlanRequest } from '../../shared/delivery/plan';
import type { RunCounts } from '../../shared/flows/runner';
import { claimDue, complete, type ClaimedTimer } from '../../shared/flows/timers';
import { finalStatuses } from '../../shared/shipping/status';
import { coalescedQueue } from '../../shared/queues/coalesced-queue';
import { quietUntil } from '../../shared/time/zoned';
import { loadContext, parcelData, type OrderContext, type Parcel } from './context';
import { clockFor } from '../../shared/time/buyer-clock';
import { parcelThreshold } from './stall';
import { peakNotices } from './peak';
import { parcelRequest, type ShipmentEnv } from './triggers';

const FLOW = 'shipment-followups';
const BATCH = 200;
const MAX_BATCHES = 10;
/** Orders worked at once in a batch (shared/flows/lanes.ts). */
const LANES = 20;
const HOUR = 3_600_000;

export type Plan = (req: PlanRequest) => Promise<void>;

async function careMessage(ctx: OrderContext, parcel: Parcel, env: ShipmentEnv, now: Date, plan: Plan) {
  // Never in quiet hours on the buyer's own clock: a care message can wait for their morning.
  const dueAt = quietUntil(now, clockFor(ctx.customer, ctx.shop.timezone).zone, ctx.shop.quietHours) ?? now;
  await plan({
    ...parcelRequest(ctx, parcel.step, 'delivered', parcelData(ctx, parcel, env.PUBLIC_URL), env.PUBLIC_URL),
    dueAt,
  });
}

async function stallCheck(ctx: OrderContext, parcel: Parcel, env: ShipmentEnv, now: Date, plan: Plan) {
  const { shipment } = parcel;
  if (shipment.status && finalStatuses.includes(shipment.status)) return;
  const since = shipment.lastMovementAt ?? shipment.shippedAt;
  if (!since) return;
  const settings = ctx.settings.stall;
  const threshold = await parcelThreshold(env.DB, ctx.shop, ctx.settings, shipment, now);
  const gap = now.getTime() - since.getTime();
  // It moved since the check was armed: the trigger has armed the next one.
  if (gap < threshold.ms) return;
  const stall = {
    reason: 'stalled',
    hours: Math.floor(gap / HOUR),
    days: Math.floor(gap / (24 * HOUR)),
    threshold_hours: Math.round(threshold.ms / HOUR),
    learned: threshold.learned,
    last_movement_at: since.getTime(),
  };
  const data = { ...parcelData(ctx, parcel, env.PUBLIC_URL), stall };
  await plan(parcelRequest(ctx, parcel.step, 'shipment_stalled_alert', data, env.PUBLIC_URL));
  if (settings.notify_buyer) await plan(parcelRequest(ctx, parcel.step, 'shipment_stalled', data, env.PUBLIC_URL));
}

async function runTimer(env: ShipmentEnv, timer: ClaimedTimer, now: Date, plan: Plan) {
  const db = dbFor(env, timer.shopId);
  if (timer.step.startsWith('peak:')) return peakNotices(env, timer, now, plan);
  const ctx = await loadContext(db, timer.shopId, timer.orderId);
  const [kind, shipmentId] = timer.step.split(':');
  const parcel = ctx?.parcels.find((p) => p.shipment.id === shipmentId);
  if (ctx && parcel && kind === 'care') await careMessage(ctx, parcel, env, now, plan);
  if (ctx && parcel && kind === 'stall') await stallCheck(ctx, parcel, env, now, plan);
  await runBatch(db, [complete(db, timer, now)]);
}

export async function runPass(liveEnv: ShipmentEnv, now: Date, shopId?: string): Promise<RunCounts> {
  // Timers of different orders at once, their queries sharing D1 round trips.
  const env = { ...liveEnv, DB: flowBinding(liveEnv.DB) };
  const counts: RunCounts = { claimed: 0, planned: 0, skipped: {}, rows_read: 0, more: false };
  // A pass's messages go on the scheduled lane, a trigger's notice never waiting behind them
  // (workers/dispatcher/lanes.ts); those planned in one turn leave in one call.
  const queue = coalescedQueue(env.DISPATCH_SCHEDULED as Queue<DispatchJob>);
  const plan: Plan = async (req) => {
    const result = await planMessage(dbFor(env, req.shop.id), queue, req, now);
    if (result.duplicate) return;
    if (result.status === 'queued') counts.planned++;
    else counts.skipped[result.reason!] = (counts.skipped[result.reason!] ?? 0) + 1;
  };
  for (const d1 of shards(env)) {
    // One scan for the flow's own timers (care and stall); its triggers are the sweep's.
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const steps = { notPrefix: 'on:' };
      const claimed = await claimDue(d1, { flow: FLOW, steps, dueBy: now, now, limit: BATCH, shopId });
      counts.claimed += claimed.timers.length;
      counts.rows_read += claimed.rowsRead;
      await inLanes(claimed.timers, orderLane, LANES, (timer) => runTimer(env, timer, now, plan));
      if (claimed.timers.length < BATCH) break;
      if (batch === MAX_BATCHES - 1) counts.more = true;
    }
  }
  return counts;
}
