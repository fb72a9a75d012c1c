/** Timeline entries for an order's parcels (each tracking event, or the shipment itself) and review holds. */
import type { Schemas } from '../api/client';
import { fill, type Messages } from '../i18n';

type Order = Schemas['OrderView'];
export type Entry = {
  at: string;
  kind: 'event' | 'message' | 'address' | 'parcel' | 'hold';
  key: string;
  view: preact.ComponentChild;
};

/** A parcel's tracking status in words; the code stays visible for searching. */
export function parcelStatus(t: Messages, status: string | null): string {
  return status ? `${t.parcelStatuses[status] ?? status} (${status})` : t.orders.noTracking;
}

export function parcelEntries(t: Messages, order: Order): Entry[] {
  return order.shipments.flatMap((s) => {
    const parcel = fill(t.orders.parcel, { carrier: s.carrier, number: s.tracking_number });
    const stalled = s.stalled ? <span class="tag bad"> {t.orders.stalled}</span> : null;
    const events = s.tracking_events ?? [];
    if (events.length === 0) {
      const at = s.shipped_at ?? s.status_at;
      if (!at) return [];
      const view = (
        <span data-testid="parcel">
          <b>{parcel}</b>: {parcelStatus(t, s.status)}
          {stalled}
        </span>
      );
      return [{ at, kind: 'parcel' as const, key: s.id, view }];
    }
    return events.map((e, i) => ({
      at: e.occurred_at,
      kind: 'parcel' as const,
      key: `${s.id}-${i}`,
      view: (
        <span data-testid="parcel">
          <b>{parcel}</b>: {parcelStatus(t, e.status)}
          {e.location && ` · ${e.location}`}
          {e.detail && <div class="muted">{e.detail}</div>}
          {i === events.length - 1 && stalled}
        </span>
      ),
    }));
  });
}

export function holdEntries(t: Messages, order: Order): Entry[] {
  return order.review_holds.map((h, i) => ({
    at: h.at,
    kind: 'hold' as const,
    key: `hold-${i}`,
    view: (
      <span data-testid="review-hold">
        {fill(h.action === 'held' ? t.orders.held : t.orders.released, {
          step: t.holdSteps[h.step],
          reason: t.holdReasons[h.reason],
        })}
      </span>
    ),
  }));
}
