/** An outbox row for tests that insert messages directly: a queued SMS of one order, due now. */
import type { MessageRow } from '../../shared/delivery/outbox';

export function messageRow(
  shopId: string,
  id: string,
  orderId: string,
  at: Date,
  extra: Partial<MessageRow> = {},
): MessageRow {
  return {
    id,
    shopId,
    orderId,
    buyerId: 'buyer-1',
    kind: 'unpaid_reminder',
    channel: 'sms',
    recipient: '+8613800138000',
    status: 'queued',
    rendered: { body: '【茶小铺】亲，宝贝已为您留好' },
    data: {},
    locale: 'zh-CN',
    variant: 'default',
    dueAt: at,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}
