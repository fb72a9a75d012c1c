/**
 * The many-row insert writes exactly what the one-row drizzle insert writes, column by column
 * (defaults, JSON and timestamps included), and skips a row whose business key exists.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { messages } from '../db/schema';
import { messageRow } from '../../test/helpers/message-row';
import { seedShop } from '../../test/helpers/seed';
import { insertMessagesStatement } from './insert-many';
import { insertMessage, type MessageRow } from './outbox';

const now = new Date('2026-11-20T09:00:00Z');

const row = (shopId: string, id: string, orderId: string, extra: Partial<MessageRow> = {}): MessageRow =>
  messageRow(shopId, id, orderId, now, {
    rendered: { body: '【茶小铺】亲，宝贝已为您留好 "quoted" \\ 😀' },
    data: { buyer: { name: '王小明', returning: true }, total: 258.5, items: [1, 2] },
    alternatives: [
      {
        channel: 'email',
        rendered: { subject: 's', text: 't', html: '<p>h</p>' },
        variant: 'a',
        templateVersionId: null,
        passed: null,
      },
    ],
    expectsOrderState: 'created',
    ...extra,
  });

describe('insertMessagesStatement', () => {
  it('stores each row as insertMessage would, and skips an existing business key', async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    await insertMessage(d, row(shop.id, 'msg_one_1', 'o-1'));
    const [written] = await env.DB.batch<{ id: string }>([
      insertMessagesStatement(env.DB, [
        row(shop.id, 'msg_many_1', 'o-2'),
        row(shop.id, 'msg_many_dup', 'o-1'), // same business key as msg_one_1
        row(shop.id, 'msg_many_2', 'o-3', { status: 'skipped', reason: 'merged', rendered: null, alternatives: null }),
      ]),
    ]);
    expect(written!.results.map((r) => r.id).sort()).toEqual(['msg_many_1', 'msg_many_2']);

    const all = await d.select().from(messages);
    const byId = new Map(all.map((m) => [m.id, m]));
    const { id: _a, orderId: _b, ...one } = byId.get('msg_one_1')!;
    const { id: _c, orderId: _d, ...many } = byId.get('msg_many_1')!;
    expect(many).toEqual(one);
    expect(byId.has('msg_many_dup')).toBe(false);
    expect(byId.get('msg_many_2')).toMatchObject({
      status: 'skipped',
      reason: 'merged',
      rendered: null,
      purpose: 'flow',
      attempts: 0,
      step: 0,
    });
  });
});
