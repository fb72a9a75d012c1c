/**
 * The review request on real D1 with a controlled clock: due the configured delay after the last
 * parcel's delivery or the order's completion (whichever came first), only in the daytime, at most
 * one reminder, nothing for a buyer who already reviewed, `expired` after the window.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages, orders } from '../../shared/db/schema';
import { checkPolicy } from '../../shared/delivery/policy';
import { deliverySettings } from '../../shared/delivery/settings';
import { arm } from '../../shared/flows/timers';
import { linkTargets } from '../../test/helpers/links';
import { markSent, parcel, review, track } from './test-facts';
import { DAY, HOUR, T0, dueOf, kinds, pass, setup, timeline, trigger } from './test-run';

const request = async (shopId: string, orderId: string) =>
  (await timeline(shopId, orderId)).find((m) => m.kind === 'review_request');

describe('the review request', () => {
  it('with delay 0 goes at once after delivery, with the review link', async () => {
    const { shop, order } = await setup({ delay_days: 0, review_url: 'https://shop.example/review?o={order_id}' });
    await parcel(shop.id, order.id, 'delivered', T0);
    expect(await trigger(shop.id, order.id, 'shipment.updated', T0 + 60_000)).toEqual({ status: 'scheduled' });
    expect(await pass(shop.id, T0 + 60_000)).toMatchObject({ claimed: 1, planned: 1, skipped: {} });
    const sent = await request(shop.id, order.id);
    expect(sent).toMatchObject({ status: 'queued', channel: 'sms', step: 0 });
    // No longer sent once the review window (30 days from delivery) has closed.
    expect(sent!.sendBy?.getTime()).toBe(T0 + 30 * DAY);
    // The stored values (what a template-based provider such as Aliyun sends) carry the short link too.
    const reviewUrl = (sent!.data as { review_url: string }).review_url;
    expect(await linkTargets(reviewUrl)).toEqual([`https://shop.example/review?o=${order.id}`]);
    // The SMS carries it as a short link on the gateway.
    expect(await linkTargets((sent!.rendered as { body: string }).body)).toEqual([
      `https://shop.example/review?o=${order.id}`,
    ]);
    // The reminder is armed 4 days (the default gap) after the request.
    expect(await dueOf(shop.id, order.id, 'reminder')).toBe(T0 + 60_000 + 4 * DAY);
    // Again: nothing new.
    await trigger(shop.id, order.id, 'shipment.updated', T0 + 2 * 60_000);
    expect(await pass(shop.id, T0 + 3 * 60_000)).toMatchObject({ planned: 0 });
    expect(await kinds(shop.id, order.id)).toEqual(['review_request:0:queued']);
  });

  it('waits for the last of two parcels', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, 'delivered', T0);
    const second = await parcel(shop.id, order.id, 'in_transit', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    expect(await dueOf(shop.id, order.id, 'request')).toBeUndefined();
    await track(shop.id, order.id, second, 'delivered', T0 + DAY);
    await trigger(shop.id, order.id, 'shipment.updated', T0 + DAY);
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 4 * DAY);
  });

  it('is due 3 days after delivery, not before', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 3 * DAY);
    expect(await pass(shop.id, T0 + 3 * DAY - 60_000)).toMatchObject({ claimed: 0, planned: 0 });
    expect(await pass(shop.id, T0 + 3 * DAY)).toMatchObject({ claimed: 1, planned: 1 });
  });

  it('counts from completion when the buyer confirmed receipt before the parcel showed delivered', async () => {
    const { shop, order } = await setup();
    await db(env.DB)
      .update(orders)
      .set({ state: 'completed', stateRank: 3, completedAt: new Date(T0) })
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, order.id)));
    await trigger(shop.id, order.id, 'order.completed', T0);
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 3 * DAY);
    // Delivery shows up a day later: the earlier of the two still decides.
    await parcel(shop.id, order.id, 'delivered', T0 + DAY);
    await trigger(shop.id, order.id, 'shipment.updated', T0 + DAY);
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 3 * DAY);
  });

  it('counts from delivery when it came before completion', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await db(env.DB)
      .update(orders)
      .set({ state: 'completed', stateRank: 3, completedAt: new Date(T0 + 2 * DAY) })
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, order.id)));
    await trigger(shop.id, order.id, 'order.completed', T0 + 2 * DAY);
    expect(await dueOf(shop.id, order.id, 'request')).toBe(T0 + 3 * DAY);
  });

  it('waits for the morning when it comes due in quiet hours', async () => {
    const { shop, order } = await setup({ delay_days: 0 });
    const night = Date.parse('2026-11-20T14:00:00Z'); // 22:00 in Shanghai
    await parcel(shop.id, order.id, 'delivered', night);
    await trigger(shop.id, order.id, 'shipment.updated', night);
    expect(await pass(shop.id, night)).toMatchObject({ claimed: 1, planned: 0 });
    expect(await request(shop.id, order.id)).toBeUndefined();
    const morning = Date.parse('2026-11-21T00:00:00Z'); // 08:00
    expect(await dueOf(shop.id, order.id, 'request')).toBe(morning);
    expect(await pass(shop.id, morning)).toMatchObject({ claimed: 1, planned: 1 });
  });
});

describe('the reminder', () => {
  it('follows a sent request once, after the gap', async () => {
    const { shop, order } = await setup({ delay_days: 0, reminder_gap_days: 2 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    await markSent((await request(shop.id, order.id))!.id, T0 + 60_000);
    expect(await pass(shop.id, T0 + 2 * DAY - 60_000)).toMatchObject({ claimed: 0 });
    expect(await pass(shop.id, T0 + 2 * DAY)).toMatchObject({ claimed: 1, planned: 1 });
    // Later events and passes never bring a second one.
    await trigger(shop.id, order.id, 'shipment.updated', T0 + 3 * DAY);
    expect(await pass(shop.id, T0 + 9 * DAY)).toMatchObject({ claimed: 0, planned: 0 });
    expect(await kinds(shop.id, order.id)).toEqual(['review_reminder:0:queued', 'review_request:0:sent']);
  });

  it('is not sent when the request was not (recorded with the request’s reason)', async () => {
    const { shop, order } = await setup({ delay_days: 0, reminder_gap_days: 1 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    const req = (await request(shop.id, order.id))!;
    await db(env.DB).update(messages).set({ status: 'skipped', reason: 'opted_out' }).where(eq(messages.id, req.id));
    expect(await pass(shop.id, T0 + DAY)).toMatchObject({ claimed: 1, planned: 0, skipped: { opted_out: 1 } });
    expect(await kinds(shop.id, order.id)).toEqual([
      'review_reminder:0:skipped:opted_out',
      'review_request:0:skipped:opted_out',
    ]);
  });

  it('waits with a request still waiting for its send time', async () => {
    const { shop, order } = await setup({ delay_days: 0, reminder_gap_days: 1 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    expect(await pass(shop.id, T0 + DAY)).toMatchObject({ claimed: 1, planned: 0, skipped: {} });
    expect(await dueOf(shop.id, order.id, 'reminder')).toBe(T0 + DAY + HOUR);
  });
});

describe('a review', () => {
  it('before the request: the request is skipped as reviewed', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await review(shop.id, order.id, 5, '很好喝', T0 + DAY);
    await trigger(shop.id, order.id, 'review.created', T0 + DAY);
    expect(await pass(shop.id, T0 + 3 * DAY)).toMatchObject({ claimed: 1, planned: 0, skipped: { reviewed: 1 } });
    expect(await kinds(shop.id, order.id)).toEqual(['review_request:0:skipped:reviewed']);
  });

  it('between the request and the reminder cancels the reminder, on the record', async () => {
    const { shop, order } = await setup({ delay_days: 0 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    await markSent((await request(shop.id, order.id))!.id, T0);
    await review(shop.id, order.id, 4, null, T0 + DAY);
    await trigger(shop.id, order.id, 'review.created', T0 + DAY);
    expect(await dueOf(shop.id, order.id, 'reminder')).toBeNull();
    expect(await pass(shop.id, T0 + 5 * DAY)).toMatchObject({ claimed: 0 });
    expect(await kinds(shop.id, order.id)).toEqual(['review_reminder:0:skipped:reviewed', 'review_request:0:sent']);
  });

  it('after the window: the request had expired; the review still gets its care', async () => {
    const { shop, order } = await setup({ window_days: 10 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    // The pass did not run before the window's end (say the cron was down).
    expect(await pass(shop.id, T0 + 10 * DAY)).toMatchObject({ claimed: 1, skipped: { expired: 1 } });
    await review(shop.id, order.id, 1, '坏了', T0 + 11 * DAY);
    await trigger(shop.id, order.id, 'review.created', T0 + 11 * DAY);
    expect(await kinds(shop.id, order.id)).toEqual([
      'negative_review_alert:0:queued',
      'negative_review_care:0:queued',
      'review_request:0:skipped:expired',
    ]);
  });

  it('arriving while the request is on its way stops it at send time', async () => {
    const { shop, buyer, order } = await setup({ delay_days: 0 });
    await parcel(shop.id, order.id, 'delivered', T0);
    await trigger(shop.id, order.id, 'shipment.updated', T0);
    await pass(shop.id, T0);
    const input = {
      // As the dispatcher holds it: claimed.
      message: { ...(await request(shop.id, order.id))!, claimedAt: new Date(T0) },
      order,
      customer: buyer,
      shop,
      settings: deliverySettings(shop.delivery),
      now: new Date(T0),
    };
    expect(await checkPolicy(db(env.DB), input)).toEqual({ action: 'send' });
    await review(shop.id, order.id, 5, null, T0 + 1000);
    expect(await checkPolicy(db(env.DB), input)).toEqual({ action: 'end', status: 'skipped', reason: 'reviewed' });
  });

  it('reads only due timers: 40 requests waiting, one due', async () => {
    // A year before the other tests' clocks, so their timers (of other shops, in the same index) are not due.
    const t = T0 - 400 * DAY;
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, 'delivered', t);
    await trigger(shop.id, order.id, 'shipment.updated', t);
    const d = db(env.DB);
    const later = new Date(t + 10 * DAY);
    await d.batch(
      Array.from({ length: 40 }, (_, i) => {
        const key = { shopId: shop.id, flow: 'review-requests' as const, orderId: `waiting-${i}`, step: 'request' };
        return arm(d, key, later, new Date(t), { rearm: false });
      }) as [ReturnType<typeof arm>, ...ReturnType<typeof arm>[]],
    );
    const counts = await pass(shop.id, t + 3 * DAY);
    expect(counts).toMatchObject({ claimed: 1, planned: 1 });
    expect(counts.rows_read).toBeLessThanOrEqual(2);
  });
});
