import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages, type Message } from '../../shared/db/schema';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { isReturningBuyer } from '../../shared/orders/buyer-history';
import { runPass } from './pass';

const now = new Date('2026-11-20T09:00:00Z'); // Friday 17:00 in Shanghai, an hour before the cutoff
const due = new Date(now.getTime() - 60_000);

async function timeline(shopId: string): Promise<Message[]> {
  return db(env.DB).query.messages.findMany({
    where: (m, { eq }) => eq(m.shopId, shopId),
    orderBy: (m, { asc }) => [asc(m.orderId)],
  });
}

async function setup(reminders: Record<string, unknown> = {}) {
  const shop = await seedShop({ smsSignature: '【茶小铺】', reminders });
  const buyer = await seedCustomer(shop.id);
  return { shop, buyer };
}

describe('the unpaid-reminder pass', () => {
  it('plans a batch at once with the same returning-buyer rule as a single order', async () => {
    // No recently-paid rule here: the buyer who paid after placing the due order must still be asked.
    const shop = await seedShop({ smsSignature: '【茶小铺】', reminders: { skip_recently_paid_hours: 0 } });
    const placedAt = new Date('2026-11-20T01:00:00Z');
    const before = new Date(placedAt.getTime() - 86_400_000);
    const after = new Date(placedAt.getTime() + 600_000);
    // Paid before the due order was placed (returning), paid only after it (new), and never paid (new).
    const histories = [{ paidAt: before }, { paidAt: after }, null];
    const due_: { orderId: string; buyerId: string }[] = [];
    for (const [i, paid] of histories.entries()) {
      const buyer = await seedCustomer(shop.id, { id: `b-${i}-${crypto.randomUUID()}`, phone: `+861380013800${i}` });
      if (paid) await seedOrder(shop.id, buyer.id, { state: 'paid', stateRank: 1, placedAt: before, ...paid });
      const order = await seedOrder(shop.id, buyer.id, { reminderDueAt: due, placedAt });
      due_.push({ orderId: order.id, buyerId: buyer.id });
    }
    const counts = await runPass(env, now, shop.id);
    expect(counts).toMatchObject({ claimed: 3, planned: 3, skipped: {} });
    const planned = await timeline(shop.id);
    for (const { orderId, buyerId } of due_) {
      const m = planned.find((x) => x.orderId === orderId && x.kind === 'unpaid_reminder')!;
      const single = await isReturningBuyer(db(env.DB), { shopId: shop.id, id: orderId, buyerId, placedAt });
      expect((m.data as { buyer: { returning: boolean } }).buyer.returning).toBe(single);
    }
    expect(
      due_.map(({ orderId }) => {
        const m = planned.find((x) => x.orderId === orderId && x.kind === 'unpaid_reminder')!;
        return (m.data as { buyer: { returning: boolean } }).buyer.returning;
      }),
    ).toEqual([true, false, false]);
  });

  it('plans one reminder per due order, with the truth about shipping today', async () => {
    const { shop, buyer } = await setup({ pay_url_template: 'https://tea.example/pay/{order_id}' });
    const order = await seedOrder(shop.id, buyer.id, {
      reminderDueAt: due,
      placedAt: new Date('2026-11-20T01:00:00Z'),
    });
    const counts = await runPass(env, now, shop.id);
    expect(counts).toMatchObject({ claimed: 1, planned: 1, skipped: {}, more: false });
    const [m] = await timeline(shop.id);
    expect(m).toMatchObject({
      orderId: order.id,
      kind: 'unpaid_reminder',
      status: 'queued',
      channel: 'sms',
      expectsOrderState: 'created',
    });
    const body = (m!.rendered as { body: string }).body;
    expect(body).toContain('18:00前付款今天就发货');
    // The pay link went out short, on the gateway, and its row leads to the shop's pay page.
    const [, code] = body.match(/\/s\/([0-9A-Za-z]{8})/) ?? [];
    expect(body).toContain(`${env.PUBLIC_URL}/s/${code}`);
    expect(body).not.toContain('tea.example');
    const link = await env.DB.prepare('SELECT message_id, kind, destination FROM short_links WHERE code = ?')
      .bind(code ?? '')
      .first();
    expect(link).toEqual({
      message_id: m!.id,
      kind: 'unpaid_reminder',
      destination: `https://tea.example/pay/${order.id}`,
    });
    expect(body.startsWith('【茶小铺】')).toBe(true);
    const row = await env.DB.prepare(
      "SELECT due_at AS reminder_due_at FROM flow_timers WHERE shop_id = ? AND order_id = ? AND step = 'reminder'",
    )
      .bind(shop.id, order.id)
      .first();
    expect(row).toEqual({ reminder_due_at: null });
  });

  it('says the next shipping day after the cutoff', async () => {
    const { shop, buyer } = await setup();
    await seedOrder(shop.id, buyer.id, { reminderDueAt: due });
    const friday19 = new Date('2026-11-20T11:00:00Z'); // Friday 19:00 in Shanghai: Saturday ships next
    await runPass(env, friday19, shop.id);
    const [m] = await timeline(shop.id);
    expect(m!.data).toMatchObject({ cutoff: { ships_today: false, local_time: '18:00' }, ship_day: { label: '明天' } });
    expect((m!.rendered as { body: string }).body).not.toContain('今天就发货');
  });

  it('never plans twice when passes overlap', async () => {
    const { shop, buyer } = await setup();
    for (let i = 0; i < 30; i++) {
      const other = await seedCustomer(shop.id, { phone: `+861380013${String(8000 + i)}` });
      await seedOrder(shop.id, other.id, { reminderDueAt: due });
    }
    await seedOrder(shop.id, buyer.id, { reminderDueAt: due });
    const [a, b, c] = await Promise.all([
      runPass(env, now, shop.id),
      runPass(env, now, shop.id),
      runPass(env, now, shop.id),
    ]);
    expect(a.claimed + b.claimed + c.claimed).toBe(31);
    expect(a.planned + b.planned + c.planned).toBe(31);
    expect(await timeline(shop.id)).toHaveLength(31);
    expect((await runPass(env, now, shop.id)).claimed).toBe(0);
  });

  it('sends one message for several unpaid orders of one buyer and records the others as merged', async () => {
    const { shop, buyer } = await setup();
    const first = await seedOrder(shop.id, buyer.id, {
      reminderDueAt: due,
      placedAt: new Date('2026-11-20T01:00:00Z'),
    });
    const second = await seedOrder(shop.id, buyer.id, {
      reminderDueAt: due,
      placedAt: new Date('2026-11-20T02:00:00Z'),
    });
    const counts = await runPass(env, now, shop.id);
    expect(counts).toMatchObject({ claimed: 2, planned: 1, skipped: { merged: 1 } });
    const rows = await timeline(shop.id);
    expect(rows.find((m) => m.orderId === first.id)).toMatchObject({ status: 'queued' });
    expect(rows.find((m) => m.orderId === first.id)!.data).toMatchObject({
      unpaid: { count: 2, order_ids: [first.id, second.id] },
    });
    expect(rows.find((m) => m.orderId === second.id)).toMatchObject({ status: 'skipped', reason: 'merged' });
  });

  it('applies the amount and product filters and the recently-paid rule, recording why', async () => {
    const { shop, buyer } = await setup({ min_amount: '100.00', exclude_skus: ['GIFT-CARD'] });
    const cheap = await seedOrder(shop.id, buyer.id, { reminderDueAt: due, total: '9.90' });
    const other = await seedCustomer(shop.id, { phone: '+8613900000000' });
    const gift = await seedOrder(shop.id, other.id, {
      reminderDueAt: due,
      items: [{ sku: 'GIFT-CARD', title: '礼品卡', quantity: 1, unit_price: '200.00' }],
    });
    const payer = await seedCustomer(shop.id, { phone: '+8613700000000' });
    await seedOrder(shop.id, payer.id, { state: 'paid', stateRank: 1, paidAt: new Date(now.getTime() - 3_600_000) });
    const fresh = await seedOrder(shop.id, payer.id, { reminderDueAt: due });
    const counts = await runPass(env, now, shop.id);
    expect(counts).toMatchObject({ claimed: 3, planned: 0, skipped: { filtered: 2, recently_paid: 1 } });
    const byOrder = new Map((await timeline(shop.id)).map((m) => [m.orderId, m]));
    expect(byOrder.get(cheap.id)).toMatchObject({ status: 'skipped', reason: 'filtered' });
    expect(byOrder.get(gift.id)).toMatchObject({ status: 'skipped', reason: 'filtered' });
    expect(byOrder.get(fresh.id)).toMatchObject({ status: 'skipped', reason: 'recently_paid' });
  });

  it('leaves orders alone that were paid after they came due', async () => {
    const { shop, buyer } = await setup();
    await seedOrder(shop.id, buyer.id, { reminderDueAt: due, state: 'paid', stateRank: 1 });
    expect(await runPass(env, now, shop.id)).toMatchObject({ claimed: 1, planned: 0 });
    expect(await timeline(shop.id)).toHaveLength(0);
  });

  it('plans the pre-close reminder separately', async () => {
    const { shop, buyer } = await setup();
    const order = await seedOrder(shop.id, buyer.id, {
      precloseDueAt: due,
      autoCloseAt: new Date('2026-11-20T10:00:00Z'),
    });
    expect(await runPass(env, now, shop.id)).toMatchObject({ claimed: 1, planned: 1 });
    const [m] = await timeline(shop.id);
    expect(m).toMatchObject({ orderId: order.id, kind: 'preclose_reminder' });
    expect(m!.data).toMatchObject({ close: { local_time: '11月20日 18:00' } });
  });

  it('reads each shop its own buyer in a pass over every shop, whose buyers share an id', async () => {
    // One buyer id at two shops: a returning English speaker at one, a new Chinese speaker at the other.
    const twin = `twin-${crypto.randomUUID()}`;
    const placedAt = new Date('2026-11-20T01:00:00Z');
    const [a, b] = [await seedShop({ reminders: { skip_recently_paid_hours: 0 } }), await seedShop()];
    await seedCustomer(a.id, { id: twin, name: 'Alice', locale: 'en', tags: ['owl'] });
    await seedCustomer(b.id, { id: twin, name: '李华', locale: 'zh-CN' });
    await seedOrder(a.id, twin, { state: 'paid', stateRank: 1, paidAt: new Date(placedAt.getTime() - 86_400_000) });
    const orderA = await seedOrder(a.id, twin, { reminderDueAt: due, placedAt });
    const orderB = await seedOrder(b.id, twin, { reminderDueAt: due, placedAt });
    await runPass(env, now);
    const [ma] = await timeline(a.id);
    const [mb] = await timeline(b.id);
    expect(ma).toMatchObject({ orderId: orderA.id, status: 'queued', locale: 'en', buyerId: twin });
    expect(ma!.data).toMatchObject({ buyer: { name: 'Alice', returning: true, persona: 'owl' } });
    expect(mb).toMatchObject({ orderId: orderB.id, status: 'queued', locale: 'zh-CN', buyerId: twin });
    expect(mb!.data).toMatchObject({ buyer: { name: '李华', returning: false, persona: '' } });
  });

  it('reads about one row per due order, whatever the backlog', async () => {
    const { shop, buyer } = await setup();
    const later = new Date(now.getTime() + 86_400_000);
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `('${shop.id}','backlog-${i}','${buyer.id}','created',0,0,'e',0,0)`,
    );
    const timers = Array.from(
      { length: 10_000 },
      (_, i) => `('${shop.id}','unpaid-reminders','backlog-${i}','reminder',${later.getTime()},0,0)`,
    );
    for (let i = 0; i < rows.length; i += 500) {
      await env.DB.prepare(
        `INSERT INTO orders (shop_id, id, buyer_id, state, state_rank, state_at, state_event_id, created_at, updated_at) VALUES ${rows.slice(i, i + 500).join(',')}`,
      ).run();
      await env.DB.prepare(
        `INSERT INTO flow_timers (shop_id, flow, order_id, step, due_at, created_at, updated_at) VALUES ${timers.slice(i, i + 500).join(',')}`,
      ).run();
    }
    for (let i = 0; i < 5; i++) {
      const b = await seedCustomer(shop.id, { phone: `+86136000000${i}0` });
      await seedOrder(shop.id, b.id, { reminderDueAt: due });
    }
    const counts = await runPass(env, now, shop.id);
    expect(counts.claimed).toBe(5);
    // One index row per due order plus one per scan (reminder, pre-close) to see the range end:
    // the 10,000 orders due tomorrow are never read.
    expect(counts.rows_read).toBeLessThanOrEqual(5 + 2);
  });
});
