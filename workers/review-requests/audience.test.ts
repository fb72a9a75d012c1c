/** The review request picks the returning-buyer and persona variants of a published template. */
import { describe, expect, it } from 'vitest';
import { audienceCases, expectedText, publishAudienceTemplate } from '../../test/helpers/audience';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { parcel } from './test-facts';
import { DAY, T0, pass, timeline, trigger } from './test-run';

describe('review requests and audience variants', () => {
  it('records the variant chosen for each buyer and the text it rendered', async () => {
    const shop = await seedShop({ reviewRequests: { delay_days: 0 } });
    await publishAudienceTemplate(shop.id, 'review_request');
    const placedAt = new Date(T0 - 5 * DAY);
    const planned: { orderId: string; c: (typeof audienceCases)[number] }[] = [];
    for (const [i, c] of audienceCases.entries()) {
      const buyer = await seedCustomer(shop.id, { phone: `+86138001382${i}0`, tags: [...c.tags] });
      if (c.returning) {
        const before = new Date(placedAt.getTime() - 30 * DAY);
        await seedOrder(shop.id, buyer.id, { state: 'completed', stateRank: 3, placedAt: before, paidAt: before });
      }
      const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2, placedAt, paidAt: placedAt });
      await parcel(shop.id, order.id, 'delivered', T0);
      expect(await trigger(shop.id, order.id, 'shipment.updated', T0 + 60_000)).toEqual({ status: 'scheduled' });
      planned.push({ orderId: order.id, c });
    }
    expect(await pass(shop.id, T0 + 60_000)).toMatchObject({ planned: audienceCases.length, skipped: {} });
    for (const { orderId, c } of planned) {
      const m = (await timeline(shop.id, orderId)).find((x) => x.kind === 'review_request');
      expect({ name: c.name, variant: m!.variant, status: m!.status }).toEqual({
        name: c.name,
        variant: c.variant,
        status: 'queued',
      });
      expect(m!.templateVersionId).not.toBeNull();
      expect((m!.rendered as { body: string }).body).toBe(expectedText(c, '王小明', orderId));
    }
  });
});
