/**
 * Parcels through the intake: created by order.shipped or by an unseen
 * tracking number, moved by event time whatever the arrival order, a repeated
 * update changing nothing; shown on the order and listed for operations staff,
 * including the parcels the shipment flow found stalled (through the real
 * worker behind POST /v1/runs/shipment-followups).
 */
import { describe, expect, it } from 'vitest';
import { orderCreated, orderShipped, shipmentUpdated } from '../../../test/helpers/events';
import { call, createShop, sendEvent } from '../../../test/helpers/gateway';
import { issueKey } from '../../../test/helpers/templates';

const HOUR = 3_600_000;

type ShipmentView = {
  id: string;
  carrier: string;
  tracking_number: string;
  status: string | null;
  stalled: boolean;
  last_movement_at: string | null;
  tracking_events?: { status: string; occurred_at: string; location: string | null }[];
};
type OrderWithShipments = { shipments: ShipmentView[] };

const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1
    ? [items]
    : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));

const orderView = async (key: string, id: string) =>
  (await (await call(`/v1/orders/${id}`, { key })).json()) as OrderWithShipments;

describe('parcels at intake', () => {
  it(
    'ends delivered with every event recorded once, in every arrival order, duplicates included',
    { timeout: 30_000 },
    async () => {
      const shop = await createShop('Parcels');
      const t0 = Date.now() - 10 * HOUR;
      const updates = [
        shipmentUpdated('', 'in_transit', t0 + HOUR, { location: '广州市' }),
        shipmentUpdated('', 'out_for_delivery', t0 + 2 * HOUR, { location: '杭州市' }),
        shipmentUpdated('', 'delivered', t0 + 3 * HOUR, { location: '杭州市' }),
      ];
      for (const [n, order] of permutations([0, 1, 2]).entries()) {
        const id = `par-${n}`;
        expect((await sendEvent(shop, orderShipped(id, t0))).status).toBe(202);
        for (const i of [...order, order[0]!]) {
          const update = structuredClone(updates[i]!);
          update.data.order_id = id;
          update.data.tracking_number = `SF-PERM-${n}`;
          expect((await sendEvent(shop, update)).status).toBe(202);
        }
        const { shipments } = await orderView(shop.api_key, id);
        const byNumber = shipments.filter((s) => s.tracking_number === `SF-PERM-${n}`);
        expect(byNumber).toHaveLength(1);
        expect(byNumber[0]).toMatchObject({
          status: 'delivered',
          last_movement_at: new Date(t0 + 3 * HOUR).toISOString(),
        });
        expect(byNumber[0]!.tracking_events!.map((e) => e.status)).toEqual([
          'in_transit',
          'out_for_delivery',
          'delivered',
        ]);
      }
    },
  );

  it('keeps one parcel per carrier and tracking number, and creates it from a tracking update alone', async () => {
    const shop = await createShop('Split');
    const t0 = Date.now() - 5 * HOUR;
    await sendEvent(shop, orderCreated('split-1', t0));
    await sendEvent(shop, orderShipped('split-1', t0 + HOUR));
    await sendEvent(
      shop,
      shipmentUpdated('split-1', 'in_transit', t0 + 2 * HOUR, { tracking_number: 'YT-2', carrier: '圆通速递' }),
    );
    const { shipments } = await orderView(shop.api_key, 'split-1');
    expect(shipments.map((s) => [s.carrier, s.tracking_number, s.status])).toEqual([
      ['SF', 'SF1234567890', null],
      ['圆通速递', 'YT-2', 'in_transit'],
    ]);
  });
});

describe('GET /v1/shipments', () => {
  it('lists parcels by status and carrier in cursor pages, and finds the stalled ones', async () => {
    const shop = await createShop('Ops', 'Asia/Shanghai');
    const reader = await issueKey(shop, ['read']);
    const old = Date.now() - 100 * HOUR;
    for (let i = 0; i < 3; i++) {
      await sendEvent(
        shop,
        shipmentUpdated(`ops-${i}`, 'in_transit', old + i * 60_000, {
          tracking_number: `ZT-${i}`,
          carrier: '中通快递',
        }),
      );
    }
    await sendEvent(shop, shipmentUpdated('ops-9', 'delivered', Date.now() - HOUR, { tracking_number: 'SF-9' }));
    const list = async (query: string, key = reader.key) => {
      const res = await call(`/v1/shipments${query}`, { key });
      expect(res.status).toBe(200);
      return (await res.json()) as { shipments: ShipmentView[]; next_cursor: string | null };
    };

    expect((await list('?status=delivered')).shipments.map((s) => s.tracking_number)).toEqual(['SF-9']);
    const first = await list('?carrier=%E4%B8%AD%E9%80%9A%E5%BF%AB%E9%80%92&limit=2');
    expect(first.shipments).toHaveLength(2);
    const second = await list(`?carrier=%E4%B8%AD%E9%80%9A%E5%BF%AB%E9%80%92&limit=2&cursor=${first.next_cursor}`);
    expect(second.next_cursor).toBeNull();
    expect([...first.shipments, ...second.shipments].map((s) => s.tracking_number).sort()).toEqual([
      'ZT-0',
      'ZT-1',
      'ZT-2',
    ]);
    expect((await list('?stalled=true')).shipments).toEqual([]);

    // The shipment flow's pass: no movement for 100 h, beyond the 72 h default, so all three stall.
    const run = await call('/v1/runs/shipment-followups', { method: 'POST', key: shop.api_key });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ flow: 'shipment-followups', claimed: 3 });
    const stalled = await list('?stalled=true');
    expect(stalled.shipments.map((s) => s.tracking_number).sort()).toEqual(['ZT-0', 'ZT-1', 'ZT-2']);
    expect(stalled.shipments.every((s) => s.stalled)).toBe(true);

    expect((await call('/v1/shipments?status=lost', { key: reader.key })).status).toBe(400);
    expect((await call('/v1/shipments?cursor=nope', { key: reader.key })).status).toBe(400);
    const other = await createShop('Other');
    expect(
      (await (await call('/v1/shipments', { key: other.api_key })).json()) as { shipments: unknown[] },
    ).toMatchObject({ shipments: [] });
  });
});
