/**
 * The send-time rule for the thank-you: a transactional message goes out at
 * once at night unless the shop chose to defer transactional messages to the
 * end of quiet hours.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import { recorder } from '../../test/helpers/queues';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { processJob } from './process';

const noFetch = (async () => {
  throw new Error('no outbound request expected');
}) as unknown as typeof fetch;
const dispatchWith = (job: DispatchJob, fetcher: typeof fetch, now: Date) =>
  processJob({ ...env, DISPATCH: recorder<DispatchJob>() as Queue }, job, now, fetcher);

describe('quiet hours', () => {
  // 23:00 in Shanghai, inside the default 21:00-08:00 quiet hours.
  const night = new Date('2026-03-02T15:00:00Z');

  /** A paid order's thank-you as the thank-you flow plans it (transactional, expecting `paid`). */
  async function plannedAtNight(delivery?: Record<string, unknown>) {
    const shop = await seedShop();
    if (delivery) await db(env.DB).update(shops).set({ delivery }).where(eq(shops.id, shop.id));
    const fresh = (await db(env.DB).query.shops.findFirst({ where: eq(shops.id, shop.id) }))!;
    const buyer = await seedCustomer(shop.id);
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid', stateRank: 1 });
    const request = { shop: fresh, orderId: order.id, customer: buyer, kind: 'thank_you' as const, locale: 'zh-CN' };
    const planned = await planMessage(
      db(env.DB),
      recorder<DispatchJob>(),
      { ...request, data: {}, audience: { returning: false }, expectsOrderState: 'paid', publicUrl: env.PUBLIC_URL },
      night,
    );
    if (planned.status !== 'queued') throw new Error(planned.status);
    return { shopId: shop.id, messageId: planned.id };
  }

  it('sends the transactional thank-you at once by default', async () => {
    const job = await plannedAtNight();
    expect(await dispatchWith(job, noFetch, night)).toEqual({ status: 'delivered' });
  });

  it("holds it until the morning when the shop chose transactional_quiet_hours 'defer'", async () => {
    const job = await plannedAtNight({ transactional_quiet_hours: 'defer' });
    expect(await dispatchWith(job, noFetch, night)).toEqual({ status: 'queued', reason: 'quiet_hours_deferred' });
    const [row] = await db(env.DB).query.messages.findMany({ where: (m, { eq }) => eq(m.id, job.messageId) });
    expect(row).toMatchObject({ status: 'queued', reason: 'quiet_hours_deferred' });
    expect(row!.dueAt).toEqual(new Date('2026-03-03T00:00:00Z'));
  });
});
