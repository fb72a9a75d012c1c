/**
 * The dispatcher's provider notes and sent outcomes, merged on its coalesced binding, write and
 * answer what each would alone: a row changes only while it is `sending`, each send gets its own
 * changes back, and the row is found by its key.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db, runBatch, type Db } from '../db/client';
import { coalescedD1 } from '../db/coalesced-d1';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { messageRow } from '../../test/helpers/message-row';
import { seedShop } from '../../test/helpers/seed';
import type { Message } from '../db/schema';
import { insertMessage, markSent, noteProvider, sendMerges, type MessageRow } from './outbox';

const now = new Date('2026-11-20T09:00:00Z');
const later = new Date(now.getTime() + 5_000);

async function seeded(tag: string) {
  const shop = await seedShop();
  const d = db(env.DB);
  const row = (id: string, status: MessageRow['status'], extra: Partial<MessageRow> = {}) =>
    messageRow(shop.id, `${tag}_${id}`, `o_${id}`, now, {
      kind: 'thank_you',
      rendered: { body: '谢谢' },
      status,
      ...extra,
    });
  const rows = [
    row('a', 'sending', { fallbackReason: 'quiet:sms' }),
    row('b', 'sending', { providerMessageId: 'pm_old' }),
    row('c', 'sending'),
    row('d', 'sent'), // no longer sending: nothing changes
  ];
  await runBatch(
    d,
    rows.map((r) => insertMessage(d, r)),
  );
  const messages = rows.map((r) => ({ ...r, providerMessageId: r.providerMessageId ?? null }) as unknown as Message);
  return { shop, messages };
}

const sends = (d: Db, [a, b, c, m]: Message[]) => [
  [noteProvider(d, a!, 'aliyun', now), markSent(d, a!, { provider: 'aliyun', status: 'sent' }, later)],
  [noteProvider(d, b!, 'twilio', now), markSent(d, b!, { provider: 'twilio', status: 'delivered' }, later)],
  [
    noteProvider(d, c!, 'webhook', now),
    markSent(
      d,
      c!,
      { provider: 'webhook', status: 'sent', providerMessageId: 'pm_c', fallbackReason: 'down:x' },
      later,
    ),
  ],
  [noteProvider(d, m!, 'aliyun', now), markSent(d, m!, { provider: 'aliyun', status: 'sent' }, later)],
];

async function state(shopId: string, tag: string) {
  const { results } = await env.DB.prepare(
    `SELECT id, status, reason, provider, provider_message_id, fallback_reason, sent_at, delivered_at,
       lease_expires_at, last_error, updated_at FROM messages WHERE shop_id = ? ORDER BY id`,
  )
    .bind(shopId)
    .all<{ id: string }>();
  return results.map((r) => ({ ...r, id: r.id.replace(tag, 'T') }));
}

describe('send merges', () => {
  it('note and record many sends in one statement each, as each alone would', async () => {
    const alone = await seeded('alone');
    const plain = db(env.DB);
    const one: unknown[][] = [];
    for (const items of sends(plain, alone.messages)) one.push(await runBatch(plain, items));

    const together = await seeded('merged');
    const counts: Counted = { roundTrips: 0, statements: 0 };
    const shared = db(coalescedD1(countingD1(env.DB, counts), { merges: sendMerges }));
    const merged = await Promise.all(sends(shared, together.messages).map((items) => runBatch(shared, items)));

    const changes = (results: unknown[][]) => results.map((r) => r.map((x) => (x as D1Result).meta.changes));
    expect(changes(one)).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    expect(changes(merged)).toEqual(changes(one));
    expect(await state(together.shop.id, 'merged')).toEqual(await state(alone.shop.id, 'alone'));
    expect(counts).toEqual({ roundTrips: 1, statements: 2 });
  });

  it('find their rows by key', async () => {
    for (const m of sendMerges) {
      const many = m.merge([
        ['sent', 'a1', 'p1', 's1', 1, null, 's1', 'm1'],
        ['sent', 'a2', 'p2', 's2', 1, null, 's2', 'm2'],
      ])!;
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${many.sql}`)
        .bind(...many.params)
        .all<{ detail: string }>();
      expect(plan.results.map((r) => r.detail).join('\n')).not.toMatch(/SCAN messages\b/);
    }
  });
});
