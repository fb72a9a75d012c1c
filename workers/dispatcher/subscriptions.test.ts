/**
 * Kuaidi100 tracking subscriptions as a retried outbound job on real D1: the exact request
 * Kuaidi100's poll API receives, success (and "already subscribed"), retry with backoff on a 5xx,
 * a refusal ending the row with Kuaidi100's reason, and only due rows claimed.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../shared/channels/lib/testing';
import { encryptSecret } from '../../shared/crypto/secret-box';
import { db } from '../../shared/db/client';
import { integrations, trackingSubscriptions } from '../../shared/db/schema';
import { seedShop } from '../../test/helpers/seed';
import { runSubscriptions } from './subscriptions';

const NOW = new Date('2026-11-20T02:00:00Z');
const CREDS = { key: 'k100-key', customer: 'K100CUSTOMER', salt: 'salt-1234' };

async function owed(company: string | null = 'shunfeng', number = `SF${Math.random().toString().slice(2, 12)}`) {
  const shop = await seedShop();
  const d = db(env.DB);
  await d.insert(integrations).values({
    shopId: shop.id,
    platform: 'kuaidi100',
    ciphertext: await encryptSecret(env.ENCRYPTION_KEY, JSON.stringify(CREDS)),
    createdAt: NOW,
    updatedAt: NOW,
  });
  await d.insert(trackingSubscriptions).values({
    shopId: shop.id,
    platform: 'kuaidi100',
    carrier: '顺丰速运',
    trackingNumber: number,
    company,
    dueAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
  });
  return { shopId: shop.id, number };
}

const rowOf = async (shopId: string) =>
  (await env.DB.prepare('SELECT status, attempts, due_at, last_error FROM tracking_subscriptions WHERE shop_id = ?')
    .bind(shopId)
    .first())!;

/** Runs a pass that only this shop's row is due in: the other tests' rows are pushed out first. */
async function pass(shopId: string, fetcher: typeof fetch, now = NOW) {
  await env.DB.prepare('UPDATE tracking_subscriptions SET due_at = ?1 WHERE shop_id != ?2 AND due_at IS NOT NULL')
    .bind(now.getTime() + 86_400_000, shopId)
    .run();
  return runSubscriptions({ ...env, PUBLIC_URL: 'https://orderbell.example' }, now, fetcher);
}

describe('Kuaidi100 subscriptions', () => {
  it('sends the exact subscription request and records the parcel subscribed', async () => {
    const { shopId, number } = await owed();
    const http = fakeFetch(json({ result: true, returnCode: '200', message: '提交成功' }));
    expect(await pass(shopId, http.fetch)).toEqual({ claimed: 1, subscribed: 1, retried: 0, failed: 0 });
    http.assertDone();
    const [request] = http.requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://poll.kuaidi100.com/poll',
      headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
    });
    const form = new URLSearchParams(request!.body);
    expect([...form.keys()]).toEqual(['schema', 'param']);
    expect(form.get('schema')).toBe('json');
    expect(JSON.parse(form.get('param')!)).toEqual({
      company: 'shunfeng',
      number,
      key: 'k100-key',
      parameters: {
        callbackurl: `https://orderbell.example/v1/integrations/kuaidi100/${shopId}`,
        salt: 'salt-1234',
        resultv2: '4',
      },
    });
    expect(await rowOf(shopId)).toEqual({ status: 'subscribed', attempts: 1, due_at: null, last_error: null });
    // Done: the next pass claims nothing and asks nothing.
    expect((await pass(shopId, fakeFetch().fetch, new Date(NOW.getTime() + 3_600_000))).claimed).toBe(0);
  });

  it('retries a 5xx with a backoff, then takes "already subscribed" (501) as done', async () => {
    const { shopId } = await owed();
    const down = fakeFetch(new Response('bad gateway', { status: 502 }));
    expect(await pass(shopId, down.fetch)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await rowOf(shopId)).toEqual({
      status: 'pending',
      attempts: 1,
      due_at: NOW.getTime() + 60_000,
      last_error: 'HTTP 502',
    });
    // Not due yet: nothing is sent.
    expect((await pass(shopId, fakeFetch().fetch, new Date(NOW.getTime() + 30_000))).claimed).toBe(0);
    const again = fakeFetch(json({ result: false, returnCode: '501', message: '重复订阅' }));
    expect(await pass(shopId, again.fetch, new Date(NOW.getTime() + 61_000))).toMatchObject({ subscribed: 1 });
    again.assertDone();
    expect(await rowOf(shopId)).toMatchObject({ status: 'subscribed', attempts: 2, due_at: null });
  });

  it("ends the row failed with Kuaidi100's reason on a refusal, and never sends an unknown carrier", async () => {
    const { shopId } = await owed();
    const refused = fakeFetch(json({ result: false, returnCode: '600', message: '您不是合法的订阅者' }));
    expect(await pass(shopId, refused.fetch)).toMatchObject({ failed: 1 });
    expect(await rowOf(shopId)).toEqual({
      status: 'failed',
      attempts: 1,
      due_at: null,
      last_error: '600 您不是合法的订阅者',
    });
    const unknown = await owed(null);
    const none = fakeFetch();
    expect(await pass(unknown.shopId, none.fetch)).toMatchObject({ failed: 1 });
    none.assertDone();
  });
});
