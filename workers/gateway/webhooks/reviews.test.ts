/**
 * The review and case facts through the real intake: `case.opened` / `case.closed` validated and
 * recorded by event time (a close before its open still closes; a rejected event stores nothing),
 * and `review.created` stored once per order, replaced only by a newer review.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { iso } from '../../../test/helpers/events';
import { createShop, sendEvent } from '../../../test/helpers/gateway';

const T = Date.parse('2026-11-20T02:00:00Z');
const opened = (orderId: string, caseId: string, at: number, kind = 'complaint') => ({
  type: 'case.opened',
  timestamp: iso(at),
  data: { order_id: orderId, case_id: caseId, kind, occurred_at: iso(at) },
});
const closed = (orderId: string, caseId: string, at: number) => ({
  type: 'case.closed',
  timestamp: iso(at),
  data: { order_id: orderId, case_id: caseId, occurred_at: iso(at) },
});
const reviewed = (orderId: string, rating: number, content: string, at: number) => ({
  type: 'review.created',
  timestamp: iso(at),
  data: { order_id: orderId, rating, content, created_at: iso(at) },
});

const caseRow = (shopId: string, caseId: string) =>
  env.DB.prepare('SELECT kind, opened_at, closed_at FROM cases WHERE shop_id = ? AND id = ?')
    .bind(shopId, caseId)
    .first<{ kind: string | null; opened_at: number | null; closed_at: number | null }>();

describe('case events', () => {
  it('opens and closes a case, in any arrival order, and reopens it when opened again later', async () => {
    const shop = await createShop('Cases');
    expect((await sendEvent(shop, opened('o-1', 'c-1', T, 'return'))).status).toBe(202);
    expect(await caseRow(shop.shop_id, 'c-1')).toEqual({ kind: 'return', opened_at: T, closed_at: null });
    await sendEvent(shop, closed('o-1', 'c-1', T + 1000));
    expect(await caseRow(shop.shop_id, 'c-1')).toMatchObject({ closed_at: T + 1000 });
    await sendEvent(shop, opened('o-1', 'c-1', T + 5000, 'return'));
    expect(await caseRow(shop.shop_id, 'c-1')).toMatchObject({ opened_at: T + 5000, closed_at: null });

    // The close arrives first; its late open (older) leaves it closed.
    await sendEvent(shop, closed('o-1', 'c-2', T + 2000));
    await sendEvent(shop, opened('o-1', 'c-2', T, 'refund'));
    expect(await caseRow(shop.shop_id, 'c-2')).toEqual({ kind: 'refund', opened_at: T, closed_at: T + 2000 });
    // Both arm the review flow's trigger for the order.
    const trigger = await env.DB.prepare(
      "SELECT count(*) AS n FROM flow_timers WHERE shop_id = ? AND flow = 'review-requests' AND step IN ('on:case.opened', 'on:case.closed')",
    )
      .bind(shop.shop_id)
      .first<{ n: number }>();
    expect(trigger!.n).toBe(2);
  });

  it('rejects a case without its kind or id and stores nothing', async () => {
    const shop = await createShop('Bad cases');
    const noKind = opened('o-2', 'c-9', T);
    delete (noKind.data as { kind?: string }).kind;
    const res = await sendEvent(shop, noKind);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'data.kind' })] },
    });
    const wrong = await sendEvent(shop, opened('o-2', 'c-9', T, 'praise'));
    expect(wrong.status).toBe(400);
    const noId = await sendEvent(shop, { ...closed('o-2', '', T) });
    expect(noId.status).toBe(400);
    const stored = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM cases WHERE shop_id = ?1) + (SELECT count(*) FROM webhook_events WHERE shop_id = ?1) AS n',
    )
      .bind(shop.shop_id)
      .first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });
});

describe('review.created', () => {
  it('stores one review per order and replaces it only with a newer one', async () => {
    const shop = await createShop('Reviews in');
    const row = () =>
      env.DB.prepare('SELECT rating, content, created_at FROM reviews WHERE shop_id = ? AND order_id = ?')
        .bind(shop.shop_id, 'o-3')
        .all<{ rating: number; content: string; created_at: number }>();
    await sendEvent(shop, reviewed('o-3', 2, '太慢了', T));
    expect((await row()).results).toEqual([{ rating: 2, content: '太慢了', created_at: T }]);
    await sendEvent(shop, reviewed('o-3', 1, '更早的', T - 1000));
    expect((await row()).results).toEqual([{ rating: 2, content: '太慢了', created_at: T }]);
    await sendEvent(shop, reviewed('o-3', 4, '客服处理好了', T + 1000));
    expect((await row()).results).toEqual([{ rating: 4, content: '客服处理好了', created_at: T + 1000 }]);
  });
});
