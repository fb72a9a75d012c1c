/**
 * A queue batch's claims: one D1 round trip of a few statements for all of its jobs, each claimed
 * as if alone, with each job's own buyer and its shop's context.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { direct } from '../../shared/db/coalesce';
import { claim } from '../../shared/delivery/outbox';
import { DAY, MIN, aboutParcel, addToBlacklist, at, plan, row, scene, webhookFirst } from '../../test/helpers/dispatch';
import { parcel, track } from '../shipment-followups/test-parcels';
import { review } from '../review-requests/test-facts';
import { batchClaims, claimAll } from './claim';

/** The binding with its batches counted: each `batch` call is one round trip. */
function countedDb() {
  const statements: number[] = [];
  const d1 = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'batch')
        return (items: D1PreparedStatement[]) => {
          statements.push(items.length);
          return target.batch(items);
        };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { d: db(d1), statements };
}

describe('claims of a queue batch', () => {
  it('claims each due job once, its first asker only, and answers each with its own buyer and shop', async () => {
    const a = await scene(webhookFirst());
    const b = await scene(webhookFirst(), { buyer: { phone: '+8613900139000' } });
    await addToBlacklist(b.shop.id, 'phone', '+8613900139000');
    const [a1, a2, b1] = [
      await plan(a, 'shipped', DAY),
      await plan(a, 'thank_you', DAY),
      await plan(b, 'shipped', DAY),
    ];
    const notDue = await plan(a, 'delivered', DAY, { dueAt: at(DAY, 10 * MIN) });
    const taken = await plan(b, 'thank_you', DAY);
    await claim(db(env.DB), taken.shopId, taken.messageId, DAY);

    const jobs = [a1, b1, a1, a2, taken, notDue];
    const { d, statements } = countedDb();
    const claimed = await claimAll(d, direct(d), jobs, at(DAY, 1));

    expect(claimed.map((c) => c?.message.id)).toEqual([
      a1.messageId,
      b1.messageId,
      undefined, // the same job again: claimed for its first asker only
      a2.messageId,
      undefined, // already sending under another claim
      undefined, // not due yet
    ]);
    // One round trip: the claim, the buyers, and each of the two shops' shop and credentials.
    expect(statements).toEqual([2 + 2 * 2]);
    expect(claimed[0]).toMatchObject({ shop: { id: a.shop.id }, customer: { id: a.buyer.id }, blacklisted: false });
    expect(claimed[0]!.order).toEqual({ state: 'paid' });
    expect(claimed[1]).toMatchObject({ shop: { id: b.shop.id }, customer: { id: b.buyer.id }, blacklisted: true });
    expect(claimed[1]!.credentials.map((c) => c.provider)).toEqual(['webhook']);
    for (const id of [a1.messageId, a2.messageId, b1.messageId])
      expect(await row(id)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await row(taken.messageId)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await row(notDue.messageId)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('a claim in a later batch comes after every claim of the shop still in flight, whatever the clock says', async () => {
    const s = await scene(webhookFirst());
    const first = await plan(s, 'shipped', DAY);
    const [second, third] = [await plan(s, 'thank_you', DAY), await plan(s, 'delivered', DAY)];
    const d = db(env.DB);
    await claimAll(d, direct(d), [first], at(DAY, 5_000));
    // A dispatcher whose clock is 5 s behind claims two more together.
    await claimAll(d, direct(d), [second, third], DAY);
    const [r1, r2, r3] = [await row(first.messageId), await row(second.messageId), await row(third.messageId)];
    expect(r2.claimedAt!.getTime()).toBeGreaterThan(r1.claimedAt!.getTime());
    expect(r3.claimedAt!.getTime()).toBeGreaterThan(r1.claimedAt!.getTime());
  });

  it('jobs that ask in the same turn share one round trip; a later ask gets its own', async () => {
    const s = await scene(webhookFirst());
    const jobs = [await plan(s, 'shipped', DAY), await plan(s, 'thank_you', DAY), await plan(s, 'delivered', DAY)];
    const { d, statements } = countedDb();
    const claimJob = batchClaims(d);
    const together = await Promise.all(jobs.slice(0, 2).map((j) => claimJob(j, DAY)));
    expect(together.map((c) => c?.message.id)).toEqual([jobs[0]!.messageId, jobs[1]!.messageId]);
    expect(statements).toEqual([4]);
    expect((await claimJob(jobs[2]!, DAY))?.message.id).toBe(jobs[2]!.messageId);
    expect(statements).toEqual([4, 4]);
  });

  it("reads each notice's parcel and whether the order was reviewed in the same statements", async () => {
    const a = await scene(webhookFirst());
    const b = await scene(webhookFirst());
    const p = await parcel(a.shop.id, a.order.id, {});
    await track(p, 'delivered', DAY.getTime() - 60_000);
    await review(b.shop.id, b.order.id, 5, 'good', DAY.getTime() - 60_000);
    const notice = await plan(a, 'out_for_delivery', DAY, aboutParcel('out_for_delivery', p.id));
    const unknownParcel = await plan(a, 'arrived_in_city', DAY, aboutParcel('arrived_in_city', 'shp_gone'));
    const [asked, notAsked] = [await plan(b, 'review_request', DAY), await plan(a, 'review_request', DAY)];

    const { d, statements } = countedDb();
    const claimed = await claimAll(d, direct(d), [notice, unknownParcel, asked, notAsked], at(DAY, 1));

    // Still one claim, one read of the buyers and each shop's two: the parcel and review ride with the buyers.
    expect(statements).toEqual([2 + 2 * 2]);
    expect(claimed[0]!.parcel).toEqual({ status: 'delivered', lastMovementAt: new Date(DAY.getTime() - 60_000) });
    expect(claimed[1]!.parcel).toBeNull();
    expect(claimed.map((c) => c!.reviewed)).toEqual([false, false, true, false]);
  });
});
