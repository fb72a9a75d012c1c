/** Response schema of the per-order view: state, intake events and message timeline. */
import { shipmentSchema } from '../shipments/schemas';
import { z } from '@hono/zod-openapi';
import {
  addressResponseActions,
  holdActions,
  holdReasons,
  holdSteps,
  intakeOutcomes,
  intakeSources,
  messageReasons,
  messageStatuses,
  orderStates,
} from '../../../shared/db/schema';
import type { AddressResponse, Customer, Message, Order, ReviewHold, WebhookEvent } from '../../../shared/db/schema';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const time = z.string().nullable();

export const orderViewSchema = z
  .object({
    order_id: z.string(),
    state: z.enum(orderStates),
    state_at: z.string(),
    currency: z.string().nullable(),
    total: z.string().nullable(),
    items: z
      .array(z.object({ sku: z.string().optional(), title: z.string(), quantity: z.number(), unit_price: z.string() }))
      .nullable(),
    buyer: z
      .object({
        id: z.string(),
        name: z.string().nullable(),
        phone: z.string().nullable(),
        email: z.string().nullable(),
        locale: z.string().nullable(),
        tags: z.array(z.string()),
      })
      .nullable(),
    shipping_address: z.record(z.string(), z.string()).nullable(),
    placed_at: time,
    paid_at: time,
    shipped_at: time,
    completed_at: time,
    cancelled_at: time,
    cancel_reason: z.string().nullable(),
    refunded_at: time,
    auto_close_at: time,
    events: z.array(
      z.object({
        event_id: z.string(),
        webhook_id: z.string(),
        source: z.enum(intakeSources).openapi({ description: 'Where the delivery came from' }),
        type: z.string(),
        occurred_at: z.string(),
        received_at: z.string(),
        outcome: z.enum(intakeOutcomes),
      }),
    ),
    shipments: z.array(shipmentSchema).openapi({ description: 'Parcels of the order with their tracking events' }),
    address_responses: z
      .array(
        z.object({
          action: z.enum(addressResponseActions),
          correction: z.string().nullable(),
          message_id: z.string().nullable(),
          created_at: z.string(),
        }),
      )
      .openapi({ description: "The buyer's answers on the address-confirmation page, oldest first" }),
    review_holds: z
      .array(
        z.object({
          step: z.enum(holdSteps),
          action: z.enum(holdActions),
          reason: z.enum(holdReasons),
          at: z.string(),
        }),
      )
      .openapi({
        description:
          'When the review request (or its reminder) was held while a problem was open, and released, oldest first',
      }),
    messages: z.array(
      z.object({
        message_id: z.string(),
        kind: z.string(),
        step: z.number(),
        channel: z.string(),
        status: z.enum(messageStatuses),
        reason: z.enum(messageReasons).nullable(),
        rendered: z.unknown(),
        created_at: z.string(),
        due_at: time,
        send_by: time,
        clock: z.string().nullable(),
        sent_at: time,
        delivered_at: time,
      }),
    ),
  })
  .openapi('OrderView');

export type OrderView = z.infer<typeof orderViewSchema>;

export function orderView(
  order: Order,
  buyer: Customer | undefined,
  events: WebhookEvent[],
  messages: Message[],
  addressResponses: AddressResponse[] = [],
  shipments: OrderView['shipments'] = [],
  holds: ReviewHold[] = [],
): OrderView {
  return {
    shipments,
    order_id: order.id,
    state: order.state,
    state_at: order.stateAt.toISOString(),
    currency: order.currency,
    total: order.total,
    items: order.items,
    buyer: buyer
      ? {
          id: buyer.id,
          name: buyer.name,
          phone: buyer.phone,
          email: buyer.email,
          locale: buyer.locale,
          tags: buyer.tags,
        }
      : null,
    shipping_address: order.shippingAddress,
    placed_at: iso(order.placedAt),
    paid_at: iso(order.paidAt),
    shipped_at: iso(order.shippedAt),
    completed_at: iso(order.completedAt),
    cancelled_at: iso(order.cancelledAt),
    cancel_reason: order.cancelReason,
    refunded_at: iso(order.refundedAt),
    auto_close_at: iso(order.autoCloseAt),
    events: events.map((e) => ({
      event_id: e.id,
      webhook_id: e.webhookId,
      source: e.source,
      type: e.type,
      occurred_at: e.occurredAt.toISOString(),
      received_at: e.receivedAt.toISOString(),
      outcome: e.outcome,
    })),
    address_responses: addressResponses.map((r) => ({
      action: r.action,
      correction: r.correction,
      message_id: r.messageId,
      created_at: r.createdAt.toISOString(),
    })),
    review_holds: holds.map((h) => ({
      step: h.step,
      action: h.action,
      reason: h.reason,
      at: h.createdAt.toISOString(),
    })),
    messages: messages.map((m) => ({
      message_id: m.id,
      kind: m.kind,
      step: m.step,
      channel: m.channel,
      status: m.status,
      reason: m.reason,
      rendered: m.rendered,
      created_at: m.createdAt.toISOString(),
      due_at: iso(m.dueAt),
      send_by: iso(m.sendBy),
      clock: m.clock,
      sent_at: iso(m.sentAt),
      delivered_at: iso(m.deliveredAt),
    })),
  };
}
