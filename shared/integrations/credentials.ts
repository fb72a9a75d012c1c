/**
 * A shop's platform credentials: the settings each platform needs (DESIGN.md "Platform
 * connections"), validated by zod, sealed with AES-GCM under ENCRYPTION_KEY and never returned.
 * Shopify keeps the client secret it replaces for a grace period, so webhooks signed with either
 * verify while the app's secret is rotated.
 */
import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import type { Db } from '../db/client';
import { integrations, type Platform } from '../db/schema';

const secret = z.string().min(8).max(256);

export const credentialSchemas = {
  shopify: z
    .object({
      shop_domain: z
        .string()
        .max(255)
        .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be the shop\'s "x.myshopify.com" domain'),
      client_secret: secret,
    })
    .strict()
    .openapi('ShopifyCredentials'),
  kuaidi100: z
    .object({ key: z.string().min(1).max(128), customer: z.string().min(1).max(128), salt: z.string().min(1).max(64) })
    .strict()
    .openapi('Kuaidi100Credentials'),
  aftership: z.object({ webhook_secret: secret }).strict().openapi('AfterShipCredentials'),
} as const satisfies Record<Platform, z.ZodType>;

export type Credentials<P extends Platform> = z.infer<(typeof credentialSchemas)[P]>;
/** What is sealed: the credentials, and for Shopify the secret they replaced while it is still accepted. */
export type Stored<P extends Platform> = Credentials<P> &
  (P extends 'shopify' ? { previous_client_secret?: string; previous_expires_at?: number } : unknown);

const which = (shopId: string, platform: Platform) =>
  and(eq(integrations.shopId, shopId), eq(integrations.platform, platform));

/** The shop's decrypted credentials for a platform, or undefined when it is not connected. */
export async function loadIntegration<P extends Platform>(
  db: Db,
  encryptionKey: string | undefined,
  shopId: string,
  platform: P,
): Promise<Stored<P> | undefined> {
  const row = await db.query.integrations.findFirst({ where: which(shopId, platform) });
  if (!row) return undefined;
  return JSON.parse(await decryptSecret(encryptionKey, row.ciphertext)) as Stored<P>;
}

/** The JSON to seal: Shopify keeps a replaced client secret until `now + graceMs`. */
export function toStore<P extends Platform>(
  platform: P,
  next: Credentials<P>,
  previous: Stored<P> | undefined,
  now: number,
  graceMs: number,
): Stored<P> {
  if (platform !== 'shopify' || !previous) return next as Stored<P>;
  const before = previous as Stored<'shopify'>;
  const incoming = next as Credentials<'shopify'>;
  if (before.client_secret === incoming.client_secret) {
    // Saving the same secret again keeps a rotation in progress as it was.
    const { previous_client_secret, previous_expires_at } = before;
    return {
      ...incoming,
      ...(previous_client_secret ? { previous_client_secret, previous_expires_at } : {}),
    } as unknown as Stored<P>;
  }
  return {
    ...incoming,
    previous_client_secret: before.client_secret,
    previous_expires_at: now + graceMs,
  } as unknown as Stored<P>;
}

export const sealCredentials = (encryptionKey: string | undefined, stored: unknown) =>
  encryptSecret(encryptionKey, JSON.stringify(stored));

/** Shopify's accepted client secrets: the current one, then the replaced one while its grace lasts. */
export function shopifySecrets(stored: Stored<'shopify'>, now = Date.now()): string[] {
  const secrets = [stored.client_secret];
  if (stored.previous_client_secret && (stored.previous_expires_at ?? 0) > now) {
    secrets.push(stored.previous_client_secret);
  }
  return secrets;
}
