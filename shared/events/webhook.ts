/** zod schemas of the signed webhook body, one per event type of the contract. */
import { z } from '@hono/zod-openapi';
import { caseKinds } from '../db/schema/reviews/cases';
import { shipmentStatuses } from '../db/schema/shipping/shipments';
import { decimalString, idString, isoTime, orderFields, orderId, orderSchema } from './order';

export { shipmentStatuses };

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: isoTime, data });

const tracking = { carrier: idString(64), tracking_number: idString(64) };

export const webhookEventSchema = z
  .discriminatedUnion('type', [
    envelope('order.created', orderSchema),
    envelope('order.paid', orderFields.partial().extend({ order_id: orderId, paid_at: isoTime })),
    envelope(
      'order.cancelled',
      z.object({ order_id: orderId, cancelled_at: isoTime, reason: z.string().max(500).optional() }),
    ),
    envelope('order.shipped', z.object({ order_id: orderId, shipped_at: isoTime, ...tracking })),
    envelope(
      'shipment.updated',
      z.object({
        order_id: orderId,
        ...tracking,
        status: z.enum(shipmentStatuses),
        occurred_at: isoTime,
        location: z.string().max(200).optional(),
        detail: z.string().max(1000).optional(),
      }),
    ),
    envelope('order.completed', z.object({ order_id: orderId, completed_at: isoTime })),
    envelope('order.refunded', z.object({ order_id: orderId, refunded_at: isoTime, amount: decimalString.optional() })),
    envelope(
      'review.created',
      z.object({
        order_id: orderId,
        rating: z.number().int().min(1).max(5),
        content: z.string().max(5000).optional(),
        created_at: isoTime,
      }),
    ),
    envelope(
      'case.opened',
      z.object({
        order_id: orderId,
        case_id: idString(64),
        kind: z.enum(caseKinds),
        occurred_at: isoTime,
      }),
    ),
    envelope('case.closed', z.object({ order_id: orderId, case_id: idString(64), occurred_at: isoTime })),
  ])
  .openapi('WebhookEvent');

export type WebhookEventBody = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = WebhookEventBody['type'];
export const webhookEventTypes = webhookEventSchema.options.map((o) => o.shape.type.value);
