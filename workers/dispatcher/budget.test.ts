/**
 * The cross-channel frequency budget per buyer and one reminder per phone per
 * local day, both counted at claim from what was actually sent (or claimed
 * earlier by a concurrent dispatcher).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Customer, Order, Shop } from '../../shared/db/schema';
import type { MessageKind } from '../../shared/templates/kinds';
import { seedCustomer, seedOrder } from '../../test/helpers/seed';
import { DAY, HOOK_URL, HOUR, MIN, at, dispatcherEnv, plan, row, scene } from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import { processJob } from './process';

afterEach(assertProvidersClean);

/** Plans `kind` for the buyer's order and processes it at `now`. */
async function sendAt(shop: Shop, buyer: Customer, order: Order, kind: MessageKind, now: Date) {
  const job = await plan(
    { shop, buyer, order },
    kind,
    now,
    kind === 'unpaid_reminder' ? { expectsOrderState: 'created' } : {},
  );
  const outcome = await processJob(dispatcherEnv(), job, now, noNetwork().fetch);
  return { ...outcome, channel: (await row(job.messageId)).channel };
}

describe('the frequency budget (at most 2 promotional messages per buyer per 24 h)', () => {
  const budget = {
    frequency_cap: { max: 2, window_hours: 24 },
    default_route: ['sms', 'email'],
    routes: { review_reminder: ['email'], positive_review_thanks: ['email'] },
  };

  it('counts across channels, exempts transactional kinds, and frees up after the window', async () => {
    const { shop, buyer, order } = await scene(budget, { webhook: false });
    expect(await sendAt(shop, buyer, order, 'review_request', DAY)).toEqual({ status: 'delivered', channel: 'sms' });
    expect(await sendAt(shop, buyer, order, 'review_reminder', at(DAY, HOUR))).toEqual({
      status: 'delivered',
      channel: 'email',
    });
    // The third promotional message is over budget on either channel.
    expect(await sendAt(shop, buyer, order, 'negative_review_care', at(DAY, 2 * HOUR))).toEqual({
      status: 'skipped',
      reason: 'frequency_cap',
      channel: 'sms',
    });
    expect(await sendAt(shop, buyer, order, 'positive_review_thanks', at(DAY, 2 * HOUR))).toEqual({
      status: 'skipped',
      reason: 'frequency_cap',
      channel: 'email',
    });
    // Transactional notices are not counted and not capped.
    expect(await sendAt(shop, buyer, order, 'shipped', at(DAY, 3 * HOUR))).toMatchObject({ status: 'delivered' });

    // Another buyer of the same shop has a budget of their own.
    const other = await seedCustomer(shop.id, { phone: '+8613900139000', email: 'li@example.com' });
    const theirs = await seedOrder(shop.id, other.id, { state: 'paid' });
    expect(await sendAt(shop, other, theirs, 'review_request', at(DAY, 3 * HOUR))).toMatchObject({
      status: 'delivered',
    });

    // 24 h after the first send, one slot is free again (the second still counts until DAY + 25 h).
    const next = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    expect(await sendAt(shop, buyer, next, 'review_request', at(DAY, 24 * HOUR + MIN))).toMatchObject({
      status: 'delivered',
    });
    expect(await sendAt(shop, buyer, next, 'review_reminder', at(DAY, 24 * HOUR + 2 * MIN))).toMatchObject({
      status: 'skipped',
      reason: 'frequency_cap',
    });
  });

  it('two promotional messages claimed at once for the last slot: exactly one is sent', async () => {
    const { shop, buyer, order } = await scene(
      { ...budget, frequency_cap: { max: 1, window_hours: 24 } },
      { webhook: false },
    );
    const jobs = await Promise.all(
      (['review_request', 'review_reminder'] as const).map((k) => plan({ shop, buyer, order }, k, DAY)),
    );
    const outcomes = await Promise.all(jobs.map((j) => processJob(dispatcherEnv(), j, DAY, noNetwork().fetch)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['delivered', 'skipped']);
    expect(outcomes.find((o) => o.status === 'skipped')).toEqual({ status: 'skipped', reason: 'frequency_cap' });
  });
});

describe('claims racing a send in flight', () => {
  it('a dispatcher whose clock is a few ms behind cannot slip past a send already in flight', async () => {
    const { shop, buyer, order } = await scene(
      {
        frequency_cap: { max: 1, window_hours: 24 },
        routes: { review_request: ['webhook'], review_reminder: ['sms'] },
        providers: { webhook: ['webhook'] },
      },
      {},
    );
    const first = await plan({ shop, buyer, order }, 'review_request', DAY);
    const second = await plan({ shop, buyer, order }, 'review_reminder', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 200, delayMs: 300 });
    // Dispatcher A claims at DAY + 5 ms, passes the budget check and is waiting on the provider...
    const inFlight = processJob(dispatcherEnv(), first, at(DAY, 5), provider.fetch);
    while (provider.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    // ...when dispatcher B, whose timestamp was taken at DAY (before A's), gets its claim in.
    expect(await processJob(dispatcherEnv(), second, DAY, noNetwork().fetch)).toEqual({
      status: 'skipped',
      reason: 'frequency_cap',
    });
    expect(await inFlight).toEqual({ status: 'delivered' });
  });
});

describe('one reminder per phone per day, across orders and buyers', () => {
  it('skips a second unpaid reminder to the same phone the same local day, and allows one the next day', async () => {
    // Quiet hours 23:00-07:00, so the test can send on both sides of the UTC and Shanghai midnights.
    const quietHours = { start: '23:00', end: '07:00' };
    const { shop, buyer, order } = await scene(
      {},
      { webhook: false, shop: { quietHours }, order: { state: 'created' } },
    );
    // A second buyer record with the same phone (e.g. a guest checkout), with its own orders.
    const twin = await seedCustomer(shop.id, { email: 'twin@example.com' });
    const [second, third] = await Promise.all([1, 2].map(() => seedOrder(shop.id, twin.id)));

    // 07:30 on 03-02 in Shanghai, still 03-01 in UTC.
    const first = new Date('2026-03-01T23:30:00Z');
    expect(await sendAt(shop, buyer, order, 'unpaid_reminder', first)).toMatchObject({ status: 'delivered' });
    // 18:00 the same local day (the next UTC day): skipped.
    expect(await sendAt(shop, twin, second!, 'unpaid_reminder', new Date('2026-03-02T10:00:00Z'))).toEqual({
      status: 'skipped',
      reason: 'duplicate_phone_today',
      channel: 'sms',
    });
    // 07:10 the next local day: under 24 h after the first, but a new day.
    expect(await sendAt(shop, twin, third!, 'unpaid_reminder', new Date('2026-03-02T23:10:00Z'))).toMatchObject({
      status: 'delivered',
    });
  });

  it('another phone the same day is not affected, nor are non-reminder kinds', async () => {
    const { shop, buyer, order } = await scene({}, { webhook: false, order: { state: 'created' } });
    expect(await sendAt(shop, buyer, order, 'unpaid_reminder', DAY)).toMatchObject({ status: 'delivered' });
    expect(await sendAt(shop, buyer, order, 'shipped', at(DAY, HOUR))).toMatchObject({ status: 'delivered' });
    const other = await seedCustomer(shop.id, { phone: '+8613900139000' });
    const theirs = await seedOrder(shop.id, other.id);
    expect(await sendAt(shop, other, theirs, 'unpaid_reminder', at(DAY, HOUR))).toMatchObject({ status: 'delivered' });
  });

  it('two reminders to one phone claimed at once: exactly one is sent', async () => {
    const { shop, buyer, order } = await scene({}, { webhook: false, order: { state: 'created' } });
    const other = await seedOrder(shop.id, buyer.id);
    const jobs = await Promise.all(
      [order, other].map((o) =>
        plan({ shop, buyer, order: o }, 'unpaid_reminder', DAY, { expectsOrderState: 'created' }),
      ),
    );
    const outcomes = await Promise.all(jobs.map((j) => processJob(dispatcherEnv(), j, DAY, noNetwork().fetch)));
    expect(outcomes.map((o) => o.reason ?? o.status).sort()).toEqual(['delivered', 'duplicate_phone_today']);
  });
});
