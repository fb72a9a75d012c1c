/** The unpaid reminder picks the returning-buyer and persona variants of a published template. */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages } from '../../shared/db/schema';
import { audienceCases, expectedText, publishAudienceTemplate } from '../../test/helpers/audience';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { runPass } from './pass';

const now = new Date('2026-11-20T09:00:00Z'); // Friday 17:00 in Shanghai, an hour before the cutoff
const placedAt = new Date('2026-11-20T01:00:00Z');

describe('unpaid reminders and audience variants', () => {
  it('records the variant chosen for each buyer and the text it rendered', async () => {
    const shop = await seedShop({ reminders: { skip_recently_paid_hours: 0 } });
    await publishAudienceTemplate(shop.id, 'unpaid_reminder');
    const orders: { orderId: string; c: (typeof audienceCases)[number] }[] = [];
    for (const [i, c] of audienceCases.entries()) {
      const buyer = await seedCustomer(shop.id, { phone: `+86138001380${i}0`, tags: [...c.tags] });
      if (c.returning) {
        const before = new Date(placedAt.getTime() - 86_400_000);
        await seedOrder(shop.id, buyer.id, { state: 'paid', stateRank: 1, placedAt: before, paidAt: before });
      }
      const order = await seedOrder(shop.id, buyer.id, { reminderDueAt: new Date(now.getTime() - 60_000), placedAt });
      orders.push({ orderId: order.id, c });
    }
    expect(await runPass(env, now, shop.id)).toMatchObject({ planned: audienceCases.length, skipped: {} });
    for (const { orderId, c } of orders) {
      const m = await db(env.DB).query.messages.findFirst({
        where: and(eq(messages.shopId, shop.id), eq(messages.orderId, orderId), eq(messages.kind, 'unpaid_reminder')),
      });
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
