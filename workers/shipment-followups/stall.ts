/**
 * How long a parcel may sit before it counts as stalled: a high percentile of
 * the gaps between consecutive tracking events of the shop's own parcels with
 * the same carrier, leaving the same status, over the last 90 days. With fewer
 * samples than the shop's minimum, the default threshold applies. A learned threshold is never
 * below `min_hours`.
 */
import { plainD1 } from '../../shared/db/coalesced-d1';
import type { Shipment, ShipmentStatus, Shop } from '../../shared/db/schema';
import { peakAt } from '../../shared/shipping/peaks';
import { peaksOf, type ShipmentSettings } from '../../shared/shipping/settings';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The most recent gaps considered; enough for a stable p90, bounded work per check. */
const MAX_SAMPLES = 2000;

export type Threshold = { ms: number; learned: boolean; samples: number };

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export async function stallThreshold(
  d1: D1Database,
  shopId: string,
  carrier: string,
  status: ShipmentStatus | null,
  settings: ShipmentSettings['stall'],
  now: Date,
): Promise<Threshold> {
  const fallback = { ms: settings.default_hours * HOUR, learned: false };
  if (!status) return { ...fallback, samples: 0 };
  const { results } = await d1
    .prepare(
      `SELECT gap FROM (
         SELECT t.occurred_at AS at, t.occurred_at - lag(t.occurred_at) OVER w AS gap, lag(t.status) OVER w AS left_status
         FROM tracking_events t JOIN shipments s ON s.id = t.shipment_id
         WHERE t.shop_id = ?1 AND t.occurred_at >= ?2 AND s.carrier = ?3
         WINDOW w AS (PARTITION BY t.shipment_id ORDER BY t.occurred_at)
       ) WHERE left_status = ?4 AND gap > 0 ORDER BY at DESC LIMIT ?5`,
    )
    .bind(shopId, now.getTime() - 90 * DAY, carrier, status, MAX_SAMPLES)
    .all<{ gap: number }>();
  const gaps = results.map((r) => r.gap).sort((a, b) => a - b);
  if (gaps.length < settings.min_samples) return { ...fallback, samples: gaps.length };
  const ms = Math.max(percentile(gaps, settings.percentile), settings.min_hours * HOUR);
  return { ms, learned: true, samples: gaps.length };
}

/** How long a learned threshold is reused: the 90 days behind it move slowly. */
export const THRESHOLD_TTL_MS = 10 * 60_000;
const MAX_HELD = 1_000;
type Held = { at: number; threshold: Promise<Threshold> };
const held = new WeakMap<D1Database, Map<string, Held>>();

/**
 * `stallThreshold`, reused per database for up to 10 minutes of `now`: by the triggers (every parcel
 * update re-arms its stall check, and reading the history is a scan of the shop's tracking events of
 * 90 days; per update, that scan was most of the peak replay's D1 time) and by the pass (its timers
 * of one carrier and status share one read). The settings are part of the key, so a changed setting
 * applies at once; a clock that went back reads again.
 */
export function recentThreshold(
  d1: D1Database,
  shopId: string,
  carrier: string,
  status: ShipmentStatus | null,
  settings: ShipmentSettings['stall'],
  now: Date,
): Promise<Threshold> {
  const db = plainD1(d1);
  let byKey = held.get(db);
  if (!byKey) held.set(db, (byKey = new Map()));
  const key = JSON.stringify([shopId, carrier, status, settings]);
  const hit = byKey.get(key);
  const age = hit ? now.getTime() - hit.at : -1;
  if (hit && age >= 0 && age < THRESHOLD_TTL_MS) return hit.threshold;
  const threshold = stallThreshold(d1, shopId, carrier, status, settings, now);
  if (byKey.size >= MAX_HELD) byKey.delete(byKey.keys().next().value!);
  const entry = { at: now.getTime(), threshold };
  byKey.set(key, entry);
  threshold.catch(() => byKey.get(key) === entry && byKey.delete(key));
  return threshold;
}

/** The threshold for this parcel now: learned or default, stretched while a peak lasts. */
export async function parcelThreshold(
  d1: D1Database,
  shop: Pick<Shop, 'id' | 'timezone'>,
  settings: ShipmentSettings,
  shipment: Pick<Shipment, 'carrier' | 'status'>,
  now: Date,
): Promise<Threshold> {
  const status = shipment.status ?? 'info_received';
  const base = await recentThreshold(d1, shop.id, shipment.carrier, status, settings.stall, now);
  const peak = peakAt(peaksOf(settings), now, shop.timezone);
  return peak ? { ...base, ms: Math.round(base.ms * settings.peak_stall_factor) } : base;
}
