/**
 * Peak-season warnings: shortly before a peak, buyers with a parcel on the way
 * or a paid order not yet shipped get one notice per peak; delivered parcels
 * and unpaid orders get none; stall thresholds stretch while a peak lasts.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages } from '../../shared/db/schema';
import { nextPeakNotice, peakAt, type Peak } from '../../shared/shipping/peaks';
import { shipmentSettings } from '../../shared/shipping/settings';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { recorder } from '../../test/helpers/queues';
import { runPass } from './pass';
import { parcelThreshold } from './stall';
import { parcel, track } from './test-parcels';
import { shipmentHandler } from './triggers';

const HOUR = 3_600_000;
const peaks: Peak[] = [{ name: '双十一', start: '2026-11-10', end: '2026-11-20', delay_days: 2 }];
const tz = 'Asia/Shanghai';

describe('the peak calendar', () => {
  it('finds the peak of a local date and the next notice, lead days before it starts', () => {
    expect(peakAt(peaks, new Date('2026-11-09T16:30:00Z'), tz)?.name).toBe('双十一'); // 00:30 on the 10th
    expect(peakAt(peaks, new Date('2026-11-09T15:30:00Z'), tz)).toBeUndefined();
    const next = nextPeakNotice(peaks, new Date('2026-11-01T00:00:00Z'), tz, 3);
    expect(next?.due).toEqual(new Date('2026-11-06T16:00:00Z')); // 00:00 on Nov 7 in Shanghai
    expect(nextPeakNotice(peaks, new Date('2026-11-21T00:00:00Z'), tz, 3)).toBeUndefined();
  });
});

describe('peak notices', () => {
  it('warns each buyer with a parcel on the way or a paid unshipped order once per peak', async () => {
    const before = new Date('2026-11-05T02:00:00Z');
    const shop = await seedShop({ shipmentFollowups: { peaks, peak_lead_days: 3 } });
    const buyer = await seedCustomer(shop.id);
    const onTheWay = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
    const p = await parcel(shop.id, onTheWay.id, { trackingNumber: 'SF-PEAK' });
    await track(p, 'in_transit', before.getTime() - HOUR);
    const paid = await seedOrder(shop.id, buyer.id, { state: 'paid', stateRank: 1 });
    const unpaid = await seedOrder(shop.id, buyer.id);
    const done = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
    await track(await parcel(shop.id, done.id, {}), 'delivered', before.getTime() - HOUR);

    // Any run of the flow arms the shop's next peak notice.
    const key = {
      shopId: shop.id,
      flow: 'shipment-followups' as const,
      orderId: onTheWay.id,
      step: 'on:shipment.updated',
    };
    await arm(db(env.DB), key, before, before, { rearm: true });
    await runTrigger(env, key, shipmentHandler(recorder()), before);

    const queue = recorder() as Queue;
    const passEnv = { ...env, DISPATCH: queue, DISPATCH_SCHEDULED: queue };
    await runPass(passEnv, before, shop.id);
    const notices = () =>
      db(env.DB).query.messages.findMany({
        where: and(eq(messages.shopId, shop.id), eq(messages.kind, 'holiday_delay_notice')),
      });
    expect(await notices()).toEqual([]);
    await runPass(passEnv, new Date('2026-11-06T16:00:01Z'), shop.id);
    const sent = await notices();
    expect(sent.map((m) => m.orderId).sort()).toEqual([onTheWay.id, paid.id].sort());
    expect(sent.every((m) => m.step === 20261110)).toBe(true);
    const body = (m: (typeof sent)[number]) => (m.rendered as { body: string }).body;
    expect(body(sent[0]!)).toContain('双十一');
    expect(sent.map((m) => m.orderId)).not.toContain(unpaid.id);
    await runPass(passEnv, new Date('2026-11-08T00:00:00Z'), shop.id);
    expect(await notices()).toHaveLength(2);
  });

  it('stretches the stall threshold while a peak lasts', async () => {
    const shop = await seedShop({ shipmentFollowups: { peaks, peak_stall_factor: 2 } });
    const settings = shipmentSettings(shop.shipmentFollowups);
    const shipment = { carrier: '中通快递', status: 'in_transit' as const };
    const outside = await parcelThreshold(env.DB, shop, settings, shipment, new Date('2026-11-01T00:00:00Z'));
    const inside = await parcelThreshold(env.DB, shop, settings, shipment, new Date('2026-11-12T00:00:00Z'));
    expect(outside.ms).toBe(72 * HOUR);
    expect(inside.ms).toBe(144 * HOUR);
  });
});
