/**
 * Holds on real D1 with a controlled clock: a request that comes due while a complaint or return
 * case, a refund or an undelivered delivery exception is open is held (not dropped) with its
 * reason on the record, released when the problem ends, and skipped as `expired` when the window
 * passed first, also when the case closes only after it.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { orders } from '../../shared/db/schema';
import { closeCase, markSent, openCase, parcel, track } from './test-facts';
import { DAY, T0, dueOf, holds, kinds, pass, setup, timeline, trigger } from './test-run';

async function delivered(settings: Record<string, unknown> = {}) {
  const ctx = await setup({ delay_days: 0, ...settings });
  await parcel(ctx.shop.id, ctx.order.id, 'delivered', T0);
  return ctx;
}

describe('a request held while a problem is open', () => {
  it('waits for the last open case to close', async () => {
    const { shop, order } = await delivered();
    await openCase(shop.id, order.id, 'c-1', T0 - DAY);
    await openCase(shop.id, order.id, 'c-2', T0 - DAY);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    expect(await pass(shop.id, T0)).toMatchObject({ claimed: 1, planned: 0, skipped: {} });
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_open_case']);
    // Held until the window's end, not dropped.
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 30 * DAY);

    await closeCase(shop.id, order.id, 'c-1', T0 + DAY);
    await trigger(shop.id, order.id, 'case.closed', T0 + DAY);
    expect(await pass(shop.id, T0 + DAY)).toMatchObject({ claimed: 1, planned: 0 });
    // Still held for the same reason: recorded once.
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_open_case']);

    await closeCase(shop.id, order.id, 'c-2', T0 + 2 * DAY);
    await trigger(shop.id, order.id, 'case.closed', T0 + 2 * DAY);
    expect(await pass(shop.id, T0 + 2 * DAY)).toMatchObject({ claimed: 1, planned: 1 });
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_open_case', 'request:released:held_open_case']);
    expect(await kinds(shop.id, order.id)).toEqual(['review_request:0:queued']);
  });

  it('waits while a delivery exception was never followed by delivery', async () => {
    const { shop, order } = await setup({ delay_days: 0 });
    // Completed by the buyer while the second parcel is stuck in an exception.
    await parcel(shop.id, order.id, 'delivered', T0);
    const stuck = await parcel(shop.id, order.id, 'exception', T0);
    await track(shop.id, order.id, stuck, 'in_transit', T0 + 60_000);
    await db(env.DB)
      .update(orders)
      .set({ completedAt: new Date(T0) })
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, order.id)));
    await trigger(shop.id, order.id, 'order.completed', T0);
    await pass(shop.id, T0);
    // Moving again is not enough: only delivery ends an exception.
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_exception']);
    await track(shop.id, order.id, stuck, 'delivered', T0 + DAY);
    await trigger(shop.id, order.id, 'shipment.updated', T0 + DAY);
    expect(await pass(shop.id, T0 + DAY)).toMatchObject({ planned: 1 });
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_exception', 'request:released:held_exception']);
  });

  it('waits on a refund until the window has passed, then is skipped as expired', async () => {
    const { shop, order } = await delivered({ window_days: 10 });
    await db(env.DB)
      .update(orders)
      .set({ state: 'refunded', stateRank: 5, refundedAt: new Date(T0) })
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, order.id)));
    await trigger(shop.id, order.id, 'order.refunded', T0);
    await pass(shop.id, T0);
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_refund']);
    expect(await pass(shop.id, T0 + 10 * DAY)).toMatchObject({ claimed: 1, skipped: { expired: 1 } });
    expect(await kinds(shop.id, order.id)).toEqual(['review_request:0:skipped:expired']);
  });

  it('sends nothing when the case closes only after the window', async () => {
    const { shop, order } = await delivered({ window_days: 10 });
    await openCase(shop.id, order.id, 'c-late', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    await closeCase(shop.id, order.id, 'c-late', T0 + 11 * DAY);
    await trigger(shop.id, order.id, 'case.closed', T0 + 11 * DAY);
    expect(await pass(shop.id, T0 + 11 * DAY)).toMatchObject({ claimed: 1, planned: 0, skipped: { expired: 1 } });
    expect(await kinds(shop.id, order.id)).toEqual(['review_request:0:skipped:expired']);
    expect(await holds(shop.id, order.id)).toEqual(['request:held:held_open_case']);
  });

  it('holds the reminder too, and releases it', async () => {
    const { shop, order } = await delivered({ reminder_gap_days: 2 });
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    const request = (await timeline(shop.id, order.id))[0]!;
    await markSent(request.id, T0);
    await openCase(shop.id, order.id, 'c-ret', T0 + DAY);
    await trigger(shop.id, order.id, 'case.opened', T0 + DAY);
    expect(await pass(shop.id, T0 + 2 * DAY)).toMatchObject({ claimed: 1, planned: 0 });
    expect(await holds(shop.id, order.id)).toEqual(['reminder:held:held_open_case']);
    await closeCase(shop.id, order.id, 'c-ret', T0 + 3 * DAY);
    await trigger(shop.id, order.id, 'case.closed', T0 + 3 * DAY);
    expect(await pass(shop.id, T0 + 3 * DAY)).toMatchObject({ claimed: 1, planned: 1 });
    expect(await kinds(shop.id, order.id)).toEqual(['review_reminder:0:queued', 'review_request:0:sent']);
    expect(await holds(shop.id, order.id)).toEqual([
      'reminder:held:held_open_case',
      'reminder:released:held_open_case',
    ]);
  });
});
