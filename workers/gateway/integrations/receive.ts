/**
 * What every platform receiver does before its own mapping: find the shop from the path and its
 * connection (404 when either is missing: the tenant comes only from the path plus a signature
 * made with that shop's credentials), check a base64 HMAC-SHA256 of the raw body in constant
 * time, and read the body as strict UTF-8 JSON.
 */
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { fromBase64, utf8 } from '../../../shared/crypto/encoding';
import { db } from '../../../shared/db/client';
import { shops, type Platform, type Shop } from '../../../shared/db/schema';
import type { AppEnv } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { loadIntegration, type Stored } from '../../../shared/integrations/credentials';

/** Platform bodies (a Shopify order with many lines) can be larger than native events. */
export const MAX_PLATFORM_BODY_BYTES = 1024 * 1024;

export async function connectedShop<P extends Platform>(
  c: Context<AppEnv>,
  platform: P,
): Promise<{ shop: Shop; credentials: Stored<P> }> {
  const shopId = c.req.param('shop_id') ?? '';
  const shop = await db(c.env.DB).query.shops.findFirst({ where: eq(shops.id, shopId) });
  const credentials = shop ? await loadIntegration(db(c.env.DB), c.env.ENCRYPTION_KEY, shop.id, platform) : undefined;
  if (!shop || !credentials) throw new ApiError('shop_not_found', `Unknown shop, or ${platform} is not connected`);
  return { shop, credentials };
}

/** True when `header` is the base64 HMAC-SHA256 of `raw` under one of `secrets` (compared in constant time). */
export async function hmacMatches(raw: Uint8Array, header: string | undefined, secrets: string[]): Promise<boolean> {
  if (!header) throw new ApiError('signature_missing', 'The HMAC signature header is missing');
  let given: Uint8Array;
  try {
    given = fromBase64(header.trim());
  } catch {
    return false;
  }
  for (const secret of secrets) {
    const key = await crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    // WebCrypto's verify compares the MACs in constant time.
    if (await crypto.subtle.verify('HMAC', key, given, raw)) return true;
  }
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;
/**
 * Shopify ids are 64-bit integers, past what a JS number holds exactly (its own samples use
 * 820982911946154508). Such integers are kept as their source digits (JSON.parse source access).
 */
const exactIntegers: Reviver = (_key, value, context) =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source
    ? context.source
    : value;

/** The verified body as JSON: 415 `invalid_json` when it is not UTF-8 JSON of an object. */
export function jsonObject(raw: Uint8Array): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(raw), exactIntegers as Parameters<typeof JSON.parse>[1]);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the one error below.
  }
  throw new ApiError('invalid_json', 'Body is not a JSON object');
}
