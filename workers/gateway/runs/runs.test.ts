import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, settleReminders, zoneAtNoon } from '../../../test/helpers/gateway';
import { orderCreated, orderPaid } from '../../../test/helpers/events';

type OrderView = { state: string; messages: { kind: string; status: string; rendered: { body: string } }[] };
const run = (key: string, flow = 'unpaid-reminders') => call(`/v1/runs/${flow}`, { method: 'POST', key });
/** The order's reminder timer, after the flow has run the shop's waiting triggers. */
const dueOf = async (shopId: string, id: string) => {
  await settleReminders(shopId);
  return env.DB.prepare(
    "SELECT due_at AS due FROM flow_timers WHERE shop_id = ? AND order_id = ? AND flow = 'unpaid-reminders' AND step = 'reminder'",
  )
    .bind(shopId, id)
    .first<{ due: number | null }>();
};
const setDue = (due: number, shopId: string, id?: string) =>
  env.DB.prepare(
    `UPDATE flow_timers SET due_at = ? WHERE shop_id = ? AND flow = 'unpaid-reminders' AND step = 'reminder' ${id ? 'AND order_id = ?' : ''}`,
  )
    .bind(...[due, shopId, id].filter((v) => v !== undefined))
    .run();

describe('POST /v1/runs/unpaid-reminders through the real worker', () => {
  it('reminds an unpaid order once, and nothing after it is paid', async () => {
    const shop = await createShop('Runs', zoneAtNoon());
    // A 00:00 cutoff on a shop that ships every day: whatever the clock, paying now ships tomorrow.
    await call('/v1/shop', {
      method: 'PATCH',
      key: shop.api_key,
      json: { shipping_cutoff: '00:00', quiet_hours: { start: '03:00', end: '03:01' } },
    });
    const placed = Date.now() - 3_600_000;
    expect(
      (await sendEvent(shop, orderCreated('r-1', placed, { pay_url: 'https://tea.example/pay/r-1' }))).status,
    ).toBe(202);
    expect((await dueOf(shop.shop_id, 'r-1'))!.due).not.toBeNull();

    // Time passes: the reminder comes due.
    await setDue(Date.now() - 1000, shop.shop_id, 'r-1');
    const first = await run(shop.api_key);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ flow: 'unpaid-reminders', claimed: 1, planned: 1, skipped: {} });

    const view = (await (await call('/v1/orders/r-1', { key: shop.api_key })).json()) as OrderView;
    const [reminder] = view.messages;
    expect(reminder).toMatchObject({ kind: 'unpaid_reminder', status: 'queued' });
    expect(reminder!.rendered.body).toContain('明天');
    // The pay link goes out short, on the gateway, and redirects to the shop's pay page.
    const code = /\/s\/([0-9A-Za-z]{8})/.exec(reminder!.rendered.body)![1];
    const hop = await call(`/s/${code}`, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe('https://tea.example/pay/r-1');

    await sendEvent(shop, orderPaid('r-1', Date.now()));
    expect((await dueOf(shop.shop_id, 'r-1'))!.due).toBeNull();
    expect(await (await run(shop.api_key)).json()).toMatchObject({ claimed: 0, planned: 0 });
  });

  it("runs only the key's own shop", async () => {
    const a = await createShop('A');
    const b = await createShop('B');
    await sendEvent(b, orderCreated('b-1', Date.now() - 3_600_000));
    await settleReminders(b.shop_id);
    await setDue(Date.now() - 1000, b.shop_id);
    expect(await (await run(a.api_key)).json()).toMatchObject({ claimed: 0 });
    const stillDue = await env.DB.prepare(
      "SELECT due_at AS due FROM flow_timers WHERE shop_id = ? AND order_id = 'b-1' AND step = 'reminder'",
    )
      .bind(b.shop_id)
      .first<{ due: number }>();
    expect(stillDue!.due).toBeLessThan(Date.now());
  });

  it('runs the review-requests pass, answers 400 for unknown flows and 403 without the admin scope', async () => {
    const shop = await createShop('Flows');
    const res = await run(shop.api_key, 'review-requests');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      flow: 'review-requests',
      claimed: 0,
      planned: 0,
      skipped: {},
      more: false,
    });
    expect((await run(shop.api_key, 'teleport')).status).toBe(400);
    const reader = (await (
      await call('/v1/api-keys', { method: 'POST', key: shop.api_key, json: { name: 'r', scopes: ['read'] } })
    ).json()) as { api_key: string };
    expect((await run(reader.api_key)).status).toBe(403);
  });
});
