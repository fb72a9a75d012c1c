import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';

const H = 3_600_000;
const sentAt = Date.parse('2026-11-20T09:00:00Z'); // 17:00 in Shanghai, Friday 2026-11-20

async function seed(
  shopId: string,
  id: string,
  opts: { variant: string; paidAfterH?: number; total?: string; status?: string; orderIds?: string[] },
) {
  const paidAt = opts.paidAfterH === undefined ? null : sentAt + opts.paidAfterH * H;
  for (const orderId of opts.orderIds ?? [id]) {
    await env.DB.prepare(
      `INSERT INTO orders (shop_id, id, state, state_rank, state_at, state_event_id, currency, total, paid_at, created_at, updated_at)
       VALUES (?, ?, ?, 0, 0, 'e', 'CNY', ?, ?, 0, 0)`,
    )
      .bind(shopId, orderId, paidAt ? 'paid' : 'created', opts.total ?? '100.00', paidAt)
      .run();
  }
  await env.DB.prepare(
    `INSERT INTO messages (id, shop_id, order_id, kind, step, channel, recipient, status, variant, data, attempts, created_at, updated_at, sent_at)
     VALUES (?, ?, ?, 'unpaid_reminder', 0, 'sms', ?, ?, ?, ?, 1, 0, 0, ?)`,
  )
    .bind(
      `msg_${id}`,
      shopId,
      id,
      `+86${id}`,
      opts.status ?? 'delivered',
      opts.variant,
      JSON.stringify({ unpaid: { order_ids: opts.orderIds ?? [id] } }),
      sentAt,
    )
    .run();
}

describe('GET /v1/metrics/unpaid-reminders', () => {
  it('counts orders paid within the window after the reminder, per day and variant', async () => {
    const shop = await createShop('Metrics');
    await seed(shop.shop_id, 'm1', { variant: 'base', paidAfterH: 2, total: '258.00' });
    await seed(shop.shop_id, 'm2', { variant: 'base', paidAfterH: 30 }); // paid after the 24 h window
    await seed(shop.shop_id, 'm3', { variant: 'B', orderIds: ['m3', 'm3b'], paidAfterH: 1, total: '10.50' });
    await seed(shop.shop_id, 'm4', { variant: 'B' }); // never paid
    await seed(shop.shop_id, 'm5', { variant: 'B', status: 'skipped', paidAfterH: 1 }); // not sent: not counted

    const res = await call('/v1/metrics/unpaid-reminders?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', {
      key: shop.api_key,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { recovery_window_hours: number; data: unknown[] };
    expect(body.recovery_window_hours).toBe(24);
    expect(body.data).toEqual([
      {
        date: '2026-11-20',
        kind: 'unpaid_reminder',
        variant: 'B',
        template_version_id: null,
        reminders_sent: 2,
        orders_recovered: 2,
        amount_recovered: { CNY: '21.00' },
        recovery_rate: 0.5,
      },
      {
        date: '2026-11-20',
        kind: 'unpaid_reminder',
        variant: 'base',
        template_version_id: null,
        reminders_sent: 2,
        orders_recovered: 1,
        amount_recovered: { CNY: '258.00' },
        recovery_rate: 0.5,
      },
    ]);
  });

  it('validates the range', async () => {
    const shop = await createShop('Metrics range');
    const backwards = await call('/v1/metrics/unpaid-reminders?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', {
      key: shop.api_key,
    });
    expect(backwards.status).toBe(400);
    const tooLong = await call('/v1/metrics/unpaid-reminders?from=2026-01-01T00:00:00Z&to=2026-11-20T00:00:00Z', {
      key: shop.api_key,
    });
    expect(tooLong.status).toBe(400);
    expect((await call('/v1/metrics/unpaid-reminders?from=yesterday', { key: shop.api_key })).status).toBe(400);
  });
});
