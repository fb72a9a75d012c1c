import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createShop, sendEvent } from '../../../test/helpers/gateway';
import { iso, orderCancelled, orderCreated, orderPaid, orderShipped } from '../../../test/helpers/events';

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const t0 = Date.parse('2026-11-11T01:00:00Z');

async function finalState(shopId: string, orderId: string) {
  return env.DB.prepare('SELECT state, state_at, total FROM orders WHERE shop_id = ? AND id = ?')
    .bind(shopId, orderId)
    .first<{ state: string; state_at: number; total: string }>();
}

describe('order state machine from event time', () => {
  it('ends in the same state for every arrival order of created/paid/shipped/cancelled', async () => {
    const shop = await createShop('Permutations');
    const build = [
      (id: string) => orderCreated(id, t0),
      (id: string) => orderPaid(id, t0 + 60_000),
      (id: string) => orderShipped(id, t0 + 120_000),
      (id: string) => orderCancelled(id, t0 + 180_000),
    ];
    const outcomes = new Set<string>();
    for (const [n, order] of permutations([0, 1, 2, 3]).entries()) {
      const id = `perm-${n}`;
      for (const i of order) expect((await sendEvent(shop, build[i]!(id))).status).toBe(202);
      const row = await finalState(shop.shop_id, id);
      outcomes.add(`${row!.state}@${row!.state_at}/${row!.total}`);
    }
    expect([...outcomes]).toEqual([`cancelled@${t0 + 180_000}/258.00`]);
    // 96 signed deliveries: about 5 s on a loaded 2-core machine, past vitest's 5 s default.
  }, 30_000);

  it('ends in shipped for every arrival order of created/paid/shipped', async () => {
    const shop = await createShop('Forward');
    const build = [
      (id: string) => orderCreated(id, t0),
      (id: string) => orderPaid(id, t0 + 1000),
      (id: string) => orderShipped(id, t0 + 2000),
    ];
    for (const [n, order] of permutations([0, 1, 2]).entries()) {
      const id = `fwd-${n}`;
      for (const i of order) await sendEvent(shop, build[i]!(id));
      expect((await finalState(shop.shop_id, id))!.state).toBe('shipped');
    }
  });

  it('records a late event as stale without moving the order back', async () => {
    const shop = await createShop('Stale');
    await sendEvent(shop, orderCreated('late', t0));
    await sendEvent(shop, orderShipped('late', t0 + 120_000));
    const res = await sendEvent(shop, orderPaid('late', t0 + 60_000));
    expect(res.status).toBe(202);
    const { event_id } = (await res.json()) as { event_id: string };
    expect(
      await env.DB.prepare('SELECT outcome FROM webhook_events WHERE id = ?').bind(event_id).first('outcome'),
    ).toBe('stale');
    const row = await env.DB.prepare('SELECT state, paid_at FROM orders WHERE shop_id = ? AND id = ?')
      .bind(shop.shop_id, 'late')
      .first<{ state: string; paid_at: number }>();
    // The state stays shipped; the payment time is still a fact worth keeping.
    expect(row).toEqual({ state: 'shipped', paid_at: t0 + 60_000 });
  });

  it('treats a second order.paid with an older timestamp as stale and keeps newer buyer details', async () => {
    const shop = await createShop('Details');
    await sendEvent(shop, orderCreated('d1', t0 + 10_000, { buyer: { id: 'b9', phone: '+8613900000002' } }));
    await sendEvent(shop, orderCreated('d2', t0, { buyer: { id: 'b9', phone: '+8613900000001' } }));
    const phone = await env.DB.prepare('SELECT phone FROM customers WHERE shop_id = ? AND id = ?')
      .bind(shop.shop_id, 'b9')
      .first('phone');
    expect(phone).toBe('+8613900000002');
    await sendEvent(shop, orderPaid('d1', t0 + 20_000));
    const again = await sendEvent(shop, { ...orderPaid('d1', t0 + 15_000), timestamp: iso(t0 + 15_000) });
    const { event_id } = (await again.json()) as { event_id: string };
    expect(
      await env.DB.prepare('SELECT outcome FROM webhook_events WHERE id = ?').bind(event_id).first('outcome'),
    ).toBe('stale');
  });
});
