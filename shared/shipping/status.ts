/**
 * How a parcel's status moves. Updates arrive late, twice and out of order: the
 * newest by event time wins, except that nothing moves a parcel back out of
 * `delivered` but a return. Shared by the intake (which records it in SQL) and
 * the flows and send-time policy (which ask whether a notice is overtaken).
 */
import type { ShipmentStatus } from '../db/schema';

/** Progress along the happy path; exceptions sit beside it. */
const progress: Record<ShipmentStatus, number> = {
  info_received: 0,
  in_transit: 1,
  arrived_in_city: 2,
  out_for_delivery: 3,
  available_for_pickup: 3,
  attempt_failed: 3,
  exception: 1,
  delivered: 4,
  returned: 5,
};

/** Statuses that mean the parcel is in trouble: staff are alerted, the buyer gets an apology. */
export const exceptionStatuses: readonly ShipmentStatus[] = ['exception', 'attempt_failed', 'returned'];
/** Statuses after which nothing more is expected of the parcel. */
export const finalStatuses: readonly ShipmentStatus[] = ['delivered', 'returned'];

/** True when a notice about `noticeStatus` is overtaken by the parcel's `current` status. */
export function overtaken(noticeStatus: ShipmentStatus, current: ShipmentStatus | null): boolean {
  if (!current || current === noticeStatus) return false;
  if (current === 'delivered') return true;
  return progress[current] > progress[noticeStatus];
}

/** The SQL condition under which an update (`excluded`) replaces the stored status. */
export const replacesStatusSql = `(shipments.status_at IS NULL OR excluded.status_at > shipments.status_at)
  AND (shipments.status IS NOT 'delivered' OR excluded.status = 'returned')`;
