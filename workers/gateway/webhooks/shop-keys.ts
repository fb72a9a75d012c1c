/**
 * The intake's per-isolate cache of each shop's accepted webhook secrets, so a delivery costs no
 * shop read and no unsealing while the entry is fresh (30 s).
 *
 * A shop's secrets change only by rotation, and the previous secret stays valid through its grace
 * period (24 h by default), far longer than an entry lives; so a stale entry normally only misses
 * the new secret. A delivery that fails against a cached entry is therefore checked once more
 * against the shop as stored (a rotation in another isolate), and a grace period ending inside an
 * entry's life ends the entry too. The rotation route drops this isolate's entry at once. The one
 * cost: a rotation with `grace_minutes: 0` reaches other isolates within 30 s, not at once (the
 * rotation route documents this).
 */
import { eq } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { shops } from '../../../shared/db/schema';
import { ApiError } from '../../../shared/http/errors';
import { verifySignedBytes, type SignatureHeaders } from '../../../shared/webhooks/standard-webhooks';
import { shopWebhookSecrets } from '../shops/secrets';

const TTL_MS = 30_000;
/** Bounded: an isolate serves many shops, but never holds more than this many entries. */
const MAX_ENTRIES = 1_000;

type Entry = { secrets: string[]; expiresAt: number };
const cache = new Map<string, Entry>();

export function forgetShopKeys(shopId: string): void {
  cache.delete(shopId);
}

async function load(env: Cloudflare.GatewayEnv, shopId: string, now: number): Promise<Entry> {
  const shop = await dbFor(env, shopId).query.shops.findFirst({ where: eq(shops.id, shopId) });
  if (!shop) {
    cache.delete(shopId);
    throw new ApiError('shop_not_found', 'Unknown shop');
  }
  const graceEnds = shop.previousWebhookSecretExpiresAt?.getTime() ?? Infinity;
  const entry = {
    secrets: await shopWebhookSecrets(env, shop, now),
    expiresAt: Math.min(now + TTL_MS, graceEnds > now ? graceEnds : Infinity),
  };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(shopId, entry);
  return entry;
}

/**
 * Verifies a delivery for `shopId` and returns its body as text. Throws `shop_not_found` for an
 * unknown shop and the signature errors of `verifySignedBytes`.
 */
export async function verifyForShop(
  env: Cloudflare.GatewayEnv,
  shopId: string,
  bytes: Uint8Array,
  headers: SignatureHeaders,
  now = Date.now(),
): Promise<string> {
  const cached = cache.get(shopId);
  if (cached && cached.expiresAt > now) {
    try {
      return await verifySignedBytes(bytes, headers, cached.secrets);
    } catch (error) {
      // Only a wrong signature may mean a newer secret: anything else (bad headers, time) stands.
      if (!(error instanceof ApiError) || error.code !== 'signature_invalid') throw error;
    }
  }
  const fresh = await load(env, shopId, now);
  return verifySignedBytes(bytes, headers, fresh.secrets);
}
