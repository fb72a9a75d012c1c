/**
 * Send-time policy, checked at claim (after planning, before any provider
 * call): the order moved on, an opt-out racing a queued message, consent by message class, and
 * the phone, email and buyer-id blacklists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DAY,
  HOOK_URL,
  aboutParcel,
  addToBlacklist,
  dispatcherEnv,
  plan,
  row,
  rowsOf,
  scene,
  withFallback,
  setOrderState,
  updateBuyer,
  webhookFirst,
} from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import { countingD1 } from '../../test/helpers/d1-counter';
import { review } from '../review-requests/test-facts';
import { parcel, track } from '../shipment-followups/test-parcels';
import { processJob } from './process';

/** A dispatcher env whose D1 binding records the SQL of every statement prepared. */
function recordingSql() {
  const sql: string[] = [];
  const DB = countingD1(dispatcherEnv().DB, { roundTrips: 0, statements: 0, sql });
  return { env: { ...dispatcherEnv(), DB }, sql };
}

afterEach(assertProvidersClean);

describe('the order moved on after planning', () => {
  it('an unpaid reminder for an order paid meanwhile is cancelled (paid), and the provider is never called', async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created' });
    await setOrderState(s.order, 'paid');
    const provider = fakeProvider(HOOK_URL);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'cancelled', reason: 'paid' });
    expect(await row(job.messageId)).toMatchObject({ status: 'cancelled', reason: 'paid', leaseExpiresAt: null });
    expect(provider.requests).toHaveLength(0);
    // Cancelled is final, and no fallback channel is tried.
    expect(env.queue.sent).toEqual([]);
    expect(await rowsOf(s.shop.id, s.order.id)).toHaveLength(1);
  });

  it('a reminder for a cancelled order is cancelled (cancelled)', async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created' });
    await setOrderState(s.order, 'cancelled');
    const provider = fakeProvider(HOOK_URL);
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({
      status: 'cancelled',
      reason: 'cancelled',
    });
    expect(provider.requests).toHaveLength(0);
  });

  it('the order still in the assumed state is sent', async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created' });
    const provider = fakeProvider(HOOK_URL, 200);
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(provider.acceptedFor(job.messageId)).toBe(1);
  });
});

describe('opt-out racing a queued message', () => {
  it('is skipped (opted_out) and falls back to the next channel, which is sent', async () => {
    const s = await scene({ default_route: ['sms', 'email'] }, { webhook: false });
    const job = await plan(s, 'shipped', DAY);
    expect((await row(job.messageId)).channel).toBe('sms');
    // The buyer replies STOP after planning, before the dispatcher gets to the row.
    await updateBuyer(s.buyer, { optedOutChannels: ['sms'] });
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, noNetwork().fetch)).toEqual({
      status: 'skipped',
      reason: 'opted_out',
    });

    const [skipped, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(skipped).toMatchObject({
      id: job.messageId,
      status: 'skipped',
      reason: 'opted_out',
      providerMessageId: null,
    });
    expect(next).toMatchObject({
      channel: 'email',
      recipient: s.buyer.email,
      status: 'queued',
      fallbackReason: 'opted_out:sms',
    });
    expect(env.queue.sent.map((j) => j.body.messageId)).toEqual([next!.id]);
    expect(await processJob(env, env.queue.sent[0]!.body, DAY, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });

  it('with every channel opted out, the fallback is recorded as skipped, not lost', async () => {
    const s = await scene({ default_route: ['sms', 'email'] }, { webhook: false });
    const job = await plan(s, 'shipped', DAY);
    await updateBuyer(s.buyer, { optedOutChannels: ['sms', 'email'] });
    const env = dispatcherEnv();
    await processJob(env, job, DAY, noNetwork().fetch);
    const [first, last] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(first).toMatchObject({ id: job.messageId, status: 'skipped', reason: 'opted_out' });
    expect(last).toMatchObject({ status: 'skipped', reason: 'opted_out', recipient: '' });
    expect(last!.fallbackReason).toContain('opted_out:sms');
    expect(env.queue.sent).toEqual([]);
  });
});

describe('consent and blacklists', () => {
  it("a contract-only order's unpaid reminder (no buyer.marketing_consent) is sent with the default settings", async () => {
    // The seed gives consent by default; a contract-only order carries none.
    const s = await scene(webhookFirst(), { order: { state: 'created' }, buyer: { marketingConsent: false } });
    expect(s.buyer.marketingConsent).toBe(false);
    const provider = fakeProvider(HOOK_URL, 200);
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created' });
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(provider.acceptedFor(job.messageId)).toBe(1);
  });

  it('a service kind (review request) without marketing consent is sent: the order implies consent', async () => {
    const s = await scene(webhookFirst(), { buyer: { marketingConsent: false } });
    const provider = fakeProvider(HOOK_URL, 200);
    const review = await plan(s, 'review_request', DAY);
    expect(await processJob(dispatcherEnv(), review, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(provider.sendsFor(review.messageId)).toBe(1);
  });

  it('with service_consent required, a service kind without consent is skipped (no_consent); a transactional one is sent', async () => {
    const s = await scene(webhookFirst({ service_consent: 'required' }), { buyer: { marketingConsent: false } });
    const provider = fakeProvider(HOOK_URL, 200);
    const review = await plan(s, 'review_request', DAY);
    expect(await processJob(dispatcherEnv(), review, DAY, provider.fetch)).toEqual({
      status: 'skipped',
      reason: 'no_consent',
    });
    const notice = await plan(s, 'shipped', DAY);
    expect(await processJob(dispatcherEnv(), notice, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(provider.sendsFor(review.messageId)).toBe(0);
    expect(provider.sendsFor(notice.messageId)).toBe(1);
  });

  it('with service_consent required, a buyer who gave consent gets the service message', async () => {
    const s = await scene(webhookFirst({ service_consent: 'required' }), { buyer: { marketingConsent: true } });
    const provider = fakeProvider(HOOK_URL, 200);
    const review = await plan(s, 'review_request', DAY);
    expect(await processJob(dispatcherEnv(), review, DAY, provider.fetch)).toEqual({ status: 'delivered' });
  });

  it.each([
    ['phone', () => '+8613800138000'],
    ['email', () => 'xiaoming@example.com'],
    ['buyer', (buyerId: string) => buyerId],
  ] as const)('a blacklisted %s is skipped (blacklisted), even for a transactional kind', async (type, value) => {
    // The buyer's email in mixed case: blacklist entries are stored lower-cased.
    const s = await scene(webhookFirst(), { buyer: { email: 'XiaoMing@Example.com' } });
    const provider = fakeProvider(HOOK_URL);
    await addToBlacklist(s.shop.id, type, value(s.buyer.id));
    const job = await plan(s, 'shipped', DAY);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'skipped', reason: 'blacklisted' });
    expect(provider.requests).toHaveLength(0);
    expect(env.queue.sent).toEqual([]);
  });

  it('a blacklist entry of another shop does not apply', async () => {
    const other = await scene({}, { webhook: false });
    await addToBlacklist(other.shop.id, 'phone', '+8613800138000');
    const s = await scene(webhookFirst());
    const provider = fakeProvider(HOOK_URL, 200);
    const job = await plan(s, 'shipped', DAY);
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
  });
});

describe('what moved on after planning is read with the claim', () => {
  it('a notice whose parcel was delivered meanwhile is skipped (superseded) without a read of its own', async () => {
    const s = await scene(webhookFirst());
    const p = await parcel(s.shop.id, s.order.id, {});
    const job = await plan(s, 'out_for_delivery', DAY, aboutParcel('out_for_delivery', p.id));
    await track(p, 'delivered', DAY.getTime() - 60_000);
    const provider = fakeProvider(HOOK_URL);
    const { env, sql } = recordingSql();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'skipped', reason: 'superseded' });
    expect(provider.requests).toHaveLength(0);
    expect(sql.filter((q) => /^select .* from "shipments"/i.test(q))).toEqual([]);
  });

  it('a review request for an order reviewed meanwhile is skipped (reviewed) without a read of its own', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'review_request', DAY);
    await review(s.shop.id, s.order.id, 5, null, DAY.getTime() - 60_000);
    const provider = fakeProvider(HOOK_URL);
    const { env, sql } = recordingSql();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'skipped', reason: 'reviewed' });
    expect(provider.requests).toHaveLength(0);
    expect(sql.filter((q) => /^select .* from "reviews"/i.test(q))).toEqual([]);
  });
});
