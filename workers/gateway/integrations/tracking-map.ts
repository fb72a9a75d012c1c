/**
 * Kuaidi100 pushes and AfterShip webhooks as native `shipment.updated` events. Both name the
 * parcel by tracking number only; the receiver passes the shop's parcel of that number, whose
 * order and carrier the event then carries, so the update lands on the same shipment row.
 */
import { kuaidi100Status, aftershipStatus, type Mapped } from '../../../shared/integrations/statuses';
import type { Ignored } from '../webhooks/accept';
import type { Mapping } from './shopify-map';

type Json = Record<string, unknown>;
export type Parcel = { orderId: string; carrier: string; trackingNumber: string };

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const OFFSET = /(?:Z|[+-]\d\d:\d\d)$/;

function update(parcel: Parcel, mapped: Mapped, at: string | undefined, more: { location?: string; detail?: string }) {
  const type = 'shipment.updated';
  if ('ignored' in mapped) return { ignored: { type, reason: mapped.ignored, orderId: parcel.orderId } } as Mapping;
  return {
    event: {
      type,
      timestamp: at ?? '',
      data: {
        order_id: parcel.orderId,
        carrier: parcel.carrier,
        tracking_number: parcel.trackingNumber,
        status: mapped.status,
        occurred_at: at,
        location: more.location?.slice(0, 200),
        detail: more.detail?.slice(0, 1000),
      },
    },
  } as Mapping;
}

/** Kuaidi100's "2012-08-28 16:33:19" is Beijing time. */
export function beijingTime(value: unknown): string | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/.exec(str(value) ?? '');
  return m ? `${m[1]}T${m[2]}+08:00` : undefined;
}

/** The tracking number a Kuaidi100 push is about (`lastResult.nu`). */
export const kuaidi100Number = (param: Json) => str(obj(param.lastResult).nu);

/** A Kuaidi100 push: the newest `data` entry gives the detail, time and area; its advanced state wins. */
export function mapKuaidi100(param: Json, parcel: Parcel): Mapping {
  const last = obj(param.lastResult);
  const entries = (Array.isArray(last.data) ? last.data.slice(0, 500) : []).map(obj);
  const newest = entries.reduce<Json | undefined>((best, e) => {
    const at = beijingTime(e.ftime ?? e.time);
    return at && (!best || Date.parse(at) > Date.parse(beijingTime(best.ftime ?? best.time)!)) ? e : best;
  }, undefined);
  if (!newest) {
    const ignored: Ignored = { type: 'shipment.updated', reason: 'no_tracking_data', orderId: parcel.orderId };
    return { ignored };
  }
  const advanced = kuaidi100Status(newest.statusCode);
  const mapped = 'status' in advanced ? advanced : kuaidi100Status(last.state);
  return update(parcel, mapped, beijingTime(newest.ftime ?? newest.time), {
    location: str(newest.areaName),
    detail: str(newest.context),
  });
}

/** An AfterShip `tracking_update`: the tag (or a telling subtag) and the latest checkpoint. */
export function mapAfterShip(body: Json, parcel: Parcel): Mapping {
  const msg = obj(body.msg);
  const checkpoints = (Array.isArray(msg.checkpoints) ? msg.checkpoints.slice(-500) : []).map(obj);
  const latest = checkpoints.at(-1);
  const time = str(latest?.checkpoint_time);
  // Checkpoint times are carrier-local and may lack an offset; then the event's own `ts` is the time.
  const at =
    time && OFFSET.test(time)
      ? time
      : typeof body.ts === 'number'
        ? new Date(body.ts * 1000).toISOString()
        : str(msg.updated_at);
  const place = latest
    ? (str(latest.location) ??
      ([latest.city, latest.state, latest.country_name].map(str).filter(Boolean).join(', ') || undefined))
    : undefined;
  return update(parcel, aftershipStatus(msg.tag, msg.subtag), at, {
    location: place,
    detail: str(latest?.message) ?? str(msg.subtag_message),
  });
}
