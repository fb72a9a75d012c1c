import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, settleReminders } from '../../../test/helpers/gateway';
import { orderCreated } from '../../../test/helpers/events';

const REMINDER_DUE =
  "SELECT due_at AS due FROM flow_timers WHERE order_id = ? AND shop_id = ? AND flow = 'unpaid-reminders' AND step = 'reminder'";
const importDays = (key: string, json: unknown) =>
  call('/v1/shop/non-shipping-days/import', { method: 'POST', key, json });

describe('holiday import', () => {
  it('merges dates, keeps weekdays on replace, and reschedules pending reminders', async () => {
    const shop = await createShop('Holidays');
    await call('/v1/shop', { method: 'PATCH', key: shop.api_key, json: { non_shipping_days: ['sun', '2026-10-01'] } });
    const merged = await importDays(shop.api_key, { dates: ['2026-10-02', '2026-10-01'] });
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({ non_shipping_days: ['2026-10-01', '2026-10-02', 'sun'] });
    const replaced = await importDays(shop.api_key, { dates: ['2027-01-01'], mode: 'replace' });
    expect(await replaced.json()).toMatchObject({ non_shipping_days: ['2027-01-01', 'sun'] });

    await sendEvent(shop, orderCreated('h-1', Date.now() - 60_000));
    await settleReminders(shop.shop_id);
    const before = await env.DB.prepare(REMINDER_DUE).bind('h-1', shop.shop_id).first<{ due: number }>();
    // Closing every day for the next 10 days moves the reminder past them.
    const closed = Array.from({ length: 10 }, (_, i) =>
      new Date(Date.now() + i * 86_400_000 - 86_400_000).toISOString().slice(0, 10),
    );
    const res = await importDays(shop.api_key, { dates: closed });
    expect(await res.json()).toMatchObject({ rescheduled_orders: 1 });
    const after = await env.DB.prepare(REMINDER_DUE).bind('h-1', shop.shop_id).first<{ due: number }>();
    expect(after!.due).toBeGreaterThan(before!.due + 5 * 86_400_000);
  });

  it('rejects invalid dates and a read-only key', async () => {
    const shop = await createShop('Holidays bad');
    const bad = await importDays(shop.api_key, { dates: ['2026-02-30'] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'dates.0' }] } });
    const reader = (await (
      await call('/v1/api-keys', { method: 'POST', key: shop.api_key, json: { name: 'r', scopes: ['read'] } })
    ).json()) as { api_key: string };
    expect((await importDays(reader.api_key, { dates: ['2026-12-25'] })).status).toBe(403);
  });
});
