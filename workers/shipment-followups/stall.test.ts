/**
 * Stalled parcels: the threshold is learned from the shop's own history (a
 * percentile of the gaps per carrier and status) with a default when there are
 * too few samples; a stall check is a timer re-armed by each movement, so the
 * pass reads only due rows; an update after a stall clears it.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { flowTimers, messages } from '../../shared/db/schema';
import { shipmentSettings } from '../../shared/shipping/settings';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { recorder } from '../../test/helpers/queues';
import { runPass } from './pass';
import { percentile, recentThreshold, stallThreshold, THRESHOLD_TTL_MS } from './stall';
import { coalescedD1 } from '../../shared/db/coalesced-d1';
import { parcel, track } from './test-parcels';
import { shipmentHandler } from './triggers';

const HOUR = 3_600_000;
const now = new Date('2026-11-20T06:00:00Z'); // 14:00 in Shanghai
const passEnv = () => {
  const queue = recorder() as Queue;
  return { ...env, DISPATCH: queue, DISPATCH_SCHEDULED: queue };
};

async function runFlow(shopId: string, orderId: string, at = now) {
  const key = { shopId, flow: 'shipment-followups' as const, orderId, step: 'on:shipment.updated' };
  await arm(db(env.DB), key, at, at, { rearm: true });
  return runTrigger(env, key, shipmentHandler(recorder()), at);
}

/** `n` delivered parcels of `carrier` whose in_transit leg took `gapHours(i)` hours. */
async function history(shopId: string, carrier: string, n: number, gapHours: (i: number) => number) {
  const buyer = await seedCustomer(shopId);
  for (let i = 0; i < n; i++) {
    const order = await seedOrder(shopId, buyer.id, { state: 'completed', stateRank: 3 });
    const p = await parcel(shopId, order.id, { carrier });
    const start = now.getTime() - 30 * 24 * HOUR + i * HOUR;
    await track(p, 'in_transit', start);
    await track(p, 'arrived_in_city', start + gapHours(i) * HOUR);
  }
}

describe('stall thresholds', () => {
  it('takes the nearest-rank percentile', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
  });

  it("learns the p90 of the shop's own gaps per carrier and status, and falls back below the minimum samples", async () => {
    const shop = await seedShop();
    await history(shop.id, '中通快递', 20, (i) => 10 + i); // gaps 10..29 h: p90 (nearest rank 18) is 27 h
    await history(shop.id, '韵达快递', 3, () => 5);
    const settings = shipmentSettings({}).stall;
    expect(await stallThreshold(env.DB, shop.id, '中通快递', 'in_transit', settings, now)).toEqual({
      ms: 27 * HOUR,
      learned: true,
      samples: 20,
    });
    expect(await stallThreshold(env.DB, shop.id, '韵达快递', 'in_transit', settings, now)).toEqual({
      ms: 72 * HOUR,
      learned: false,
      samples: 3,
    });
    // Another status of the same carrier has its own history (none here).
    expect((await stallThreshold(env.DB, shop.id, '中通快递', 'arrived_in_city', settings, now)).learned).toBe(false);
  });

  it('never learns a threshold below min_hours from parcels that moved within minutes', async () => {
    const shop = await seedShop();
    await history(shop.id, '顺丰速运', 20, (i) => (i + 1) / 60); // gaps of 1..20 minutes
    const learned = (stall: Record<string, unknown>) =>
      stallThreshold(env.DB, shop.id, '顺丰速运', 'in_transit', shipmentSettings({ stall }).stall, now);
    expect(await learned({})).toEqual({ ms: 12 * HOUR, learned: true, samples: 20 });
    expect(await learned({ min_hours: 2 })).toEqual({ ms: 2 * HOUR, learned: true, samples: 20 });
  });
});

describe('recent thresholds', () => {
  it('reuse a learned threshold for 10 minutes of the clock, per database, and read again after', async () => {
    const shop = await seedShop();
    await history(shop.id, '中通快递', 20, (i) => 10 + i);
    const settings = shipmentSettings({}).stall;
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect((await recentThreshold(env.DB, shop.id, '中通快递', 'in_transit', settings, now)).ms).toBe(27 * HOUR);
    // New history: a trigger within the ten minutes, on any binding over the same database, keeps the threshold.
    await history(shop.id, '中通快递', 20, () => 100);
    const again = await recentThreshold(coalescedD1(env.DB), shop.id, '中通快递', 'in_transit', settings, at(60_000));
    expect(again.samples).toBe(20);
    // A changed setting applies at once; so does the clock moving past the ten minutes.
    const p50 = shipmentSettings({ stall: { percentile: 50 } }).stall;
    expect((await recentThreshold(env.DB, shop.id, '中通快递', 'in_transit', p50, at(60_000))).samples).toBe(40);
    const later = await recentThreshold(env.DB, shop.id, '中通快递', 'in_transit', settings, at(THRESHOLD_TTL_MS));
    expect(later).toEqual({ ms: 100 * HOUR, learned: true, samples: 40 });
  });
});

describe('the stall pass', () => {
  it('alerts staff once when a parcel stops moving, with the measured gap, and clears on the next update', async () => {
    // No peak calendar here: peaks stretch thresholds (peak.test.ts).
    const shop = await seedShop({ shipmentFollowups: { peaks: [], stall: { default_hours: 48, notify_buyer: true } } });
    const buyer = await seedCustomer(shop.id);
    const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
    const p = await parcel(shop.id, order.id, { carrier: '申通快递', trackingNumber: 'ST1' });
    const moved = now.getTime() - 50 * HOUR;
    await track(p, 'in_transit', moved, { location: '武汉市' });
    await runFlow(shop.id, order.id, new Date(moved + HOUR));
    const timer = await db(env.DB).query.flowTimers.findFirst({
      where: and(eq(flowTimers.shopId, shop.id), eq(flowTimers.step, `stall:${p.id}`)),
    });
    expect(timer!.dueAt).toEqual(new Date(moved + 48 * HOUR));

    const counts = await runPass(passEnv(), now, shop.id);
    expect(counts).toMatchObject({ claimed: 1, planned: 2 });
    const rows = await db(env.DB).query.messages.findMany({
      where: and(eq(messages.shopId, shop.id), eq(messages.orderId, order.id)),
    });
    const alert = rows.find((m) => m.kind === 'shipment_stalled_alert')!;
    expect(alert.data).toMatchObject({ stall: { reason: 'stalled', hours: 50, threshold_hours: 48, learned: false } });
    expect((alert.rendered as { markdown: string }).markdown).toContain('50小时');
    expect(rows.find((m) => m.kind === 'shipment_stalled')).toMatchObject({ status: 'queued' });
    expect((await runPass(passEnv(), now, shop.id)).claimed).toBe(0);

    // It moves again: the stall no longer stands, and the check is armed from the new movement.
    await track(p, 'arrived_in_city', now.getTime() + HOUR, { location: '杭州市' });
    await runFlow(shop.id, order.id, new Date(now.getTime() + 2 * HOUR));
    const rearmed = await db(env.DB).query.flowTimers.findFirst({
      where: and(eq(flowTimers.shopId, shop.id), eq(flowTimers.step, `stall:${p.id}`)),
    });
    expect(rearmed!.dueAt).toEqual(new Date(now.getTime() + HOUR + 48 * HOUR));
  });

  it('reads only due stall checks, whatever the number of parcels in transit', async () => {
    const shop = await seedShop({ shipmentFollowups: { peaks: [] } });
    const buyer = await seedCustomer(shop.id);
    const later = now.getTime() + 24 * HOUR;
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `('${shop.id}','shipment-followups','o-${i}','stall:s-${i}',${later},0,0)`,
    );
    for (let i = 0; i < rows.length; i += 500) {
      await env.DB.prepare(
        `INSERT INTO flow_timers (shop_id, flow, order_id, step, due_at, created_at, updated_at) VALUES ${rows.slice(i, i + 500).join(',')}`,
      ).run();
    }
    const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
    const p = await parcel(shop.id, order.id, {});
    await track(p, 'in_transit', now.getTime() - 100 * HOUR);
    await runFlow(shop.id, order.id, new Date(now.getTime() - 99 * HOUR));
    const counts = await runPass(passEnv(), now, shop.id);
    expect(counts.claimed).toBe(1);
    // The one due stall row plus one to see the range end.
    expect(counts.rows_read).toBeLessThanOrEqual(2);
  });
});
