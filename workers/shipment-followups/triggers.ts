/**
 * The flow's event trigger (`on:order.shipped`, `on:shipment.updated`, re-armed
 * by every parcel fact): for each parcel of the order it plans the notice its
 * status calls for (once per parcel and status: the message's business key),
 * alerts staff and apologises to the buyer on trouble, arms the delivered-care
 * timer, and re-arms the parcel's stall check from its last movement.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor, runBatch, type Db } from '../../shared/db/client';
import type { MessageKind } from '../../shared/templates/kinds';
import { planMessage, type DispatchJob, type PlanRequest } from '../../shared/delivery/plan';
import type { TriggerHandler } from '../../shared/flows/triggers';
import { arm, disarm } from '../../shared/flows/timers';
import { troubleLabel } from '../../shared/shipping/carriers';
import { exceptionStatuses, finalStatuses, overtaken } from '../../shared/shipping/status';
import { loadContext, parcelData, type OrderContext, type Parcel } from './context';
import { parcelThreshold } from './stall';
import { nextPeakNotice } from '../../shared/shipping/peaks';
import { peaksOf } from '../../shared/shipping/settings';

export type ShipmentEnv = { DB: D1Database; DISPATCH: Queue; DISPATCH_SCHEDULED: Queue; PUBLIC_URL: string };
const FLOW = 'shipment-followups';

/** A buyer or staff message about the order, at `step` (a parcel's position, or a peak's date). */
export function parcelRequest(
  ctx: OrderContext,
  step: number,
  kind: MessageKind,
  data: Record<string, unknown>,
  publicUrl: string,
) {
  const staff = kind.endsWith('_alert');
  return {
    shop: ctx.shop,
    orderId: (data.order as { id: string }).id,
    customer: staff ? null : ctx.customer,
    kind,
    step,
    // Staff texts render in zh-CN: shops have no language setting yet.
    locale: staff ? 'zh-CN' : ctx.locale,
    data,
    audience: ctx.audience,
    publicUrl,
  } satisfies PlanRequest;
}

/** The notices a parcel's current status calls for; the planner dedupes on the business key. */
function noticesFor(ctx: OrderContext, parcel: Parcel, publicUrl: string): PlanRequest[] {
  const { notices } = ctx.settings;
  const { shipment, latest } = parcel;
  const status = shipment.status;
  const data = parcelData(ctx, parcel, publicUrl);
  const out: PlanRequest[] = [];
  if (notices.shipped) {
    const req = parcelRequest(ctx, parcel.step, 'shipped', data, publicUrl);
    // Told of the parcel only once it had arrived: the shipped notice would no longer be true.
    out.push(overtaken('out_for_delivery', status) ? { ...req, skipReason: 'superseded' } : req);
  }
  if ((status === 'arrived_in_city' || status === 'out_for_delivery') && notices[status]) {
    out.push(parcelRequest(ctx, parcel.step, status, data, publicUrl));
  }
  if (status && exceptionStatuses.includes(status) && !shipment.deliveredAt) {
    const label = (locale: string) => troubleLabel(status, latest?.detail ?? null, locale);
    out.push(
      parcelRequest(
        ctx,
        parcel.step,
        'delivery_exception_alert',
        { ...data, alert: { label: label('zh-CN') } },
        publicUrl,
      ),
    );
    if (notices.delivery_exception) {
      out.push(
        parcelRequest(
          ctx,
          parcel.step,
          'delivery_exception',
          { ...data, exception: { label: label(ctx.locale) } },
          publicUrl,
        ),
      );
    }
  }
  return out;
}

/** The care timer on delivery, and the stall check re-armed from the last movement (or disarmed at the end). */
async function timersFor(env: ShipmentEnv, db: Db, ctx: OrderContext, parcel: Parcel, now: Date) {
  const { shipment } = parcel;
  const key = { shopId: ctx.shop.id, flow: FLOW, orderId: shipment.orderId } as const;
  const out: BatchItem<'sqlite'>[] = [];
  if (shipment.deliveredAt && ctx.settings.notices.delivered) {
    const due = new Date(shipment.deliveredAt.getTime() + ctx.settings.delivered_care_delay_minutes * 60_000);
    out.push(arm(db, { ...key, step: `care:${shipment.id}` }, due, now, { rearm: false }));
  }
  const stallStep = `stall:${shipment.id}`;
  if (shipment.status && finalStatuses.includes(shipment.status)) {
    out.push(disarm(db, key, [stallStep], now));
  } else {
    const since = shipment.lastMovementAt ?? shipment.shippedAt ?? now;
    const threshold = await parcelThreshold(env.DB, ctx.shop, ctx.settings, shipment, now);
    const due = new Date(since.getTime() + threshold.ms);
    // Each movement moves the check out; an update after a stall arms it again.
    out.push(arm(db, { ...key, step: stallStep }, due, now, { rearm: 'exact' }));
  }
  return out;
}

/**
 * The shop's next peak notice, a shop-level timer (`peak:<start date>`, order id ''), armed once
 * whenever the flow runs: it is due `peak_lead_days` before the peak starts.
 */
function peakTimer(db: Db, ctx: OrderContext, now: Date): BatchItem<'sqlite'>[] {
  const next = nextPeakNotice(peaksOf(ctx.settings), now, ctx.shop.timezone, ctx.settings.peak_lead_days);
  if (!next) return [];
  const key = { shopId: ctx.shop.id, flow: FLOW, orderId: '', step: `peak:${next.peak.start}` } as const;
  return [arm(db, key, next.due, now, { rearm: false })];
}

export function shipmentHandler(queue: Queue<DispatchJob> | undefined): TriggerHandler<ShipmentEnv> {
  return async (env, { now, timer, done }) => {
    const db = dbFor(env, timer.shopId);
    const ctx = await loadContext(db, timer.shopId, timer.orderId);
    if (!ctx) {
      await runBatch(db, [done]);
      return { status: 'no_shop' };
    }
    // The notices and the timers' reads go together: each step is a D1 round trip shared with the
    // batch's other triggers, and under load every round trip waits its turn on the one thread.
    const requests = ctx.parcels.flatMap((parcel) => noticesFor(ctx, parcel, env.PUBLIC_URL));
    const [results, timers] = await Promise.all([
      Promise.all(requests.map((req) => planMessage(db, queue, req, now))),
      Promise.all(ctx.parcels.map((p) => timersFor(env, db, ctx, p, now))),
    ]);
    const planned = results.filter((r) => !r.duplicate).length;
    await runBatch(db, [...timers.flat(), ...peakTimer(db, ctx, now), done]);
    return { status: planned ? 'planned' : 'unchanged' };
  };
}
