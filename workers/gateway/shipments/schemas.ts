/** The shipment view, shared by `GET /v1/orders/{id}` and `GET /v1/shipments`. */
import { z } from '@hono/zod-openapi';
import { shipmentStatuses, type Shipment, type TrackingEvent } from '../../../shared/db/schema';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const trackingEventSchema = z.object({
  status: z.enum(shipmentStatuses),
  occurred_at: z.string(),
  location: z.string().nullable(),
  detail: z.string().nullable(),
});

export const shipmentSchema = z
  .object({
    id: z.string(),
    order_id: z.string(),
    carrier: z.string(),
    tracking_number: z.string(),
    status: z.enum(shipmentStatuses).nullable().openapi({ description: 'Latest status by event time' }),
    status_at: z.string().nullable(),
    shipped_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    last_movement_at: z.string().nullable(),
    stalled: z.boolean().openapi({ description: 'A stall alert went out and the parcel has not moved since' }),
    tracking_events: z.array(trackingEventSchema).optional(),
  })
  .openapi('Shipment');

export function shipmentView(s: Shipment, stalled: boolean, events?: TrackingEvent[]): z.infer<typeof shipmentSchema> {
  return {
    id: s.id,
    order_id: s.orderId,
    carrier: s.carrier,
    tracking_number: s.trackingNumber,
    status: s.status,
    status_at: iso(s.statusAt),
    shipped_at: iso(s.shippedAt),
    delivered_at: iso(s.deliveredAt),
    last_movement_at: iso(s.lastMovementAt),
    stalled,
    ...(events
      ? {
          tracking_events: events.map((e) => ({
            status: e.status,
            occurred_at: e.occurredAt.toISOString(),
            location: e.location,
            detail: e.detail,
          })),
        }
      : {}),
  };
}
