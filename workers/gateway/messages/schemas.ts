/**
 * Shapes of the message API: the list filters, the opaque cursor, and the
 * message views (a summary in lists; the detail adds content and template data).
 * Nothing here reads provider credentials; `last_error` holds our one-line
 * summary of the failure (provider, message, code), never a raw upstream body.
 */
import { z } from '@hono/zod-openapi';
import { channels, messageReasons, messageStatuses, type Message } from '../../../shared/db/schema';
import { messageKindNames } from '../../../shared/templates/kinds';
import { isoTime } from '../../../shared/events/order';

export const listQuerySchema = z.object({
  order_id: z.string().min(1).optional(),
  kind: z.enum(messageKindNames).optional(),
  status: z.enum(messageStatuses).optional(),
  channel: z.enum(channels).optional(),
  reason: z.enum(messageReasons).optional().openapi({ description: 'Why it was skipped, deferred or failed' }),
  from: isoTime.optional().openapi({ description: 'Created at or after (inclusive)' }),
  to: isoTime.optional().openapi({ description: 'Created before (exclusive)' }),
  cursor: z.string().optional().openapi({ description: '`next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const time = z.string().nullable();

export const messageSummarySchema = z
  .object({
    id: z.string(),
    order_id: z.string(),
    buyer_id: z.string().nullable(),
    kind: z.string(),
    step: z.number().int(),
    channel: z.enum(channels),
    recipient: z.string(),
    status: z.enum(messageStatuses),
    reason: z.enum(messageReasons).nullable(),
    fallback_reason: z.string().nullable(),
    provider: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    due_at: time,
    next_attempt_at: time,
    send_by: time.openapi({
      description: 'After this its text is no longer true: it is skipped `expired`, never sent',
    }),
    clock: z
      .string()
      .nullable()
      .openapi({ description: 'The clock quiet hours were judged by, e.g. `America/New_York (phone)`' }),
    sent_at: time,
    delivered_at: time,
  })
  .openapi('MessageSummary');

export const messageDetailSchema = messageSummarySchema
  .extend({
    template_version_id: z.string().nullable(),
    variant: z.string().nullable(),
    locale: z.string().nullable(),
    expects_order_state: z.string().nullable(),
    rendered: z.record(z.string(), z.unknown()).nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    lease_expires_at: time,
    claimed_at: time,
  })
  .openapi('Message');

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function summaryView(m: Message): z.infer<typeof messageSummarySchema> {
  return {
    id: m.id,
    order_id: m.orderId,
    buyer_id: m.buyerId,
    kind: m.kind,
    step: m.step,
    channel: m.channel,
    recipient: m.recipient,
    status: m.status,
    reason: m.reason,
    fallback_reason: m.fallbackReason,
    provider: m.provider,
    provider_message_id: m.providerMessageId,
    attempts: m.attempts,
    last_error: m.lastError,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    due_at: iso(m.dueAt),
    next_attempt_at: iso(m.nextAttemptAt),
    send_by: iso(m.sendBy),
    clock: m.clock,
    sent_at: iso(m.sentAt),
    delivered_at: iso(m.deliveredAt),
  };
}

export function detailView(m: Message): z.infer<typeof messageDetailSchema> {
  return {
    ...summaryView(m),
    template_version_id: m.templateVersionId,
    variant: m.variant,
    locale: m.locale,
    expects_order_state: m.expectsOrderState,
    rendered: (m.rendered as Record<string, unknown> | null) ?? null,
    data: m.data ?? null,
    lease_expires_at: iso(m.leaseExpiresAt),
    claimed_at: iso(m.claimedAt),
  };
}
