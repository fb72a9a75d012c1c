/** The shipped notice picks the returning-buyer and persona variants of a published template. */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages } from '../../shared/db/schema';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { audienceCases, expectedText, publishAudienceTemplate } from '../../test/helpers/audience';
import { recorder } from '../../test/helpers/queues';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { parcel } from './test-parcels';
import { shipmentHandler } from './triggers';

const DAY = 86_400_000;

describe('shipment follow-ups and audience variants', () => {
  it('records the variant chosen for each buyer and the text it rendered', async () => {
    const shop = await seedShop();
    await publishAudienceTemplate(shop.id, 'shipped');
    const placedAt = new Date(Date.now() - 2 * DAY);
    for (const [i, c] of audienceCases.entries()) {
      const buyer = await seedCustomer(shop.id, { phone: `+86138001381${i}0`, tags: [...c.tags] });
      if (c.returning) {
        const before = new Date(placedAt.getTime() - 30 * DAY);
        await seedOrder(shop.id, buyer.id, { state: 'completed', stateRank: 3, placedAt: before, paidAt: before });
      }
      const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2, placedAt, paidAt: placedAt });
      await parcel(shop.id, order.id, { carrier: '顺丰速运', trackingNumber: `SF-AUD-${i}` });
      const key = { shopId: shop.id, flow: 'shipment-followups' as const, orderId: order.id, step: 'on:order.shipped' };
      const now = new Date();
      await arm(db(env.DB), key, now, now, { rearm: true });
      expect(await runTrigger(env, key, shipmentHandler(recorder()), now)).toEqual({ status: 'planned' });

      const m = await db(env.DB).query.messages.findFirst({
        where: and(eq(messages.shopId, shop.id), eq(messages.orderId, order.id), eq(messages.kind, 'shipped')),
      });
      expect({ name: c.name, variant: m!.variant, status: m!.status }).toEqual({
        name: c.name,
        variant: c.variant,
        status: 'queued',
      });
      expect(m!.templateVersionId).not.toBeNull();
      expect((m!.rendered as { body: string }).body).toBe(expectedText(c, '王小明', order.id));
    }
  });
});
