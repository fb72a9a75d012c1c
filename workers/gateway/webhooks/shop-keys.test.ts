/**
 * The intake's per-isolate cache of shop secrets: a delivery signed with a secret rotated behind
 * the cache (another isolate's rotation) is accepted at once, an unknown shop is still refused,
 * and an entry ends with its TTL or with the previous secret's grace period.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encryptSecret } from '../../../shared/crypto/secret-box';
import { ApiError } from '../../../shared/http/errors';
import { newWebhookSecret } from '../../../shared/webhooks/standard-webhooks';
import { createShop, sign } from '../../../test/helpers/gateway';
import { verifyForShop } from './shop-keys';

const body = '{"type":"order.created"}';
const bytes = new TextEncoder().encode(body);

async function delivery(secret: string) {
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const signature = await sign(secret, id, ts, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e as ApiError).code,
  );

/** What another isolate's rotation leaves in D1: a new current secret and no previous one. */
async function rotateBehindTheCache(shopId: string, previousUntil?: Date) {
  const secret = newWebhookSecret();
  await env.DB.prepare(
    `UPDATE shops SET previous_webhook_secret_enc = CASE WHEN ?2 IS NULL THEN NULL ELSE webhook_secret_enc END,
       previous_webhook_secret_expires_at = ?2, webhook_secret_enc = ?1 WHERE id = ?3`,
  )
    .bind(await encryptSecret(env.ENCRYPTION_KEY, secret), previousUntil?.getTime() ?? null, shopId)
    .run();
  return secret;
}

describe('shop secrets cached per isolate', () => {
  it('accepts a secret rotated behind the cache at once, and drops the revoked one when the entry expires', async () => {
    const shop = await createShop('Cache');
    const now = Date.now();
    expect(await verifyForShop(env, shop.shop_id, bytes, await delivery(shop.webhook_secret), now)).toBe(body);

    const rotated = await rotateBehindTheCache(shop.shop_id);
    // The cached entry misses the new secret: one reload finds it.
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await delivery(rotated), now + 1_000))).toBe('accepted');
    // The reload replaced the entry, so the revoked secret is refused from then on ...
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await delivery(shop.webhook_secret), now + 2_000))).toBe(
      'signature_invalid',
    );
  });

  it('a revoked secret still cached is refused once the 30 s entry has expired', async () => {
    const shop = await createShop('Cache TTL');
    const now = Date.now();
    await verifyForShop(env, shop.shop_id, bytes, await delivery(shop.webhook_secret), now);
    await rotateBehindTheCache(shop.shop_id);
    const old = () => delivery(shop.webhook_secret);
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await old(), now + 29_000))).toBe('accepted');
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await old(), now + 31_000))).toBe('signature_invalid');
  });

  it("an entry ends with the previous secret's grace period, even inside its 30 s", async () => {
    const shop = await createShop('Cache grace');
    const now = Date.now();
    const rotated = await rotateBehindTheCache(shop.shop_id, new Date(now + 10_000));
    // Loaded now: the previous secret is accepted for 10 s more.
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await delivery(shop.webhook_secret), now))).toBe(
      'accepted',
    );
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await delivery(rotated), now + 5_000))).toBe('accepted');
    expect(await code(verifyForShop(env, shop.shop_id, bytes, await delivery(shop.webhook_secret), now + 11_000))).toBe(
      'signature_invalid',
    );
  });

  it('refuses an unknown shop, cached or not', async () => {
    const headers = await delivery(newWebhookSecret());
    expect(await code(verifyForShop(env, 'shop_nope', bytes, headers))).toBe('shop_not_found');
  });
});
