/**
 * Template test sends (`POST /v1/templates/test-send`) as outbox rows: rendered
 * like a preview by the gateway, written by the outbox and queued like any
 * planned message. The row is marked `purpose: 'test'`, which is what tells the
 * send-time policy that buyer rules do not apply.
 */
import { newId, randomToken } from '../crypto/random';
import type { Db } from '../db/client';
import type { Channel, TemplateContent } from '../db/schema';
import type { MessageKind } from '../templates/kinds';
import { insertMessage, type MessageRow } from './outbox';
import type { PreparedMessage } from './plan';

/** A staff member's template test send: already rendered (like a preview), for one explicit recipient. */
export type TestSendRequest = {
  shopId: string;
  kind: MessageKind;
  channel: Channel;
  recipient: string;
  locale: string;
  rendered: TemplateContent;
  templateVersionId: string | null;
  variant: string;
  data: Record<string, unknown>;
};

/**
 * A test send as a message row, ready for the caller's batch (with its audit row). It belongs to no
 * order: the `test_` order id only keeps its business key apart from every real order's and labels it
 * in the message log; nothing recognises a test send by it.
 */
export function prepareTestSend(db: Db, req: TestSendRequest, now = new Date()): PreparedMessage {
  const row: MessageRow = {
    id: newId('msg'),
    shopId: req.shopId,
    orderId: `test_${randomToken(16)}`,
    purpose: 'test',
    kind: req.kind,
    step: 0,
    channel: req.channel,
    recipient: req.recipient,
    status: 'queued',
    templateVersionId: req.templateVersionId,
    variant: req.variant,
    rendered: req.rendered,
    data: req.data,
    locale: req.locale,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  };
  return { row, insert: insertMessage(db, row) };
}
