/** Per-shop provider credentials: validated by the provider's zod schema, stored sealed, never returned. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { providerCredentials } from '../db/schema';
import { decryptSecret } from '../crypto/secret-box';
import type { Provider } from '../channels/types';

/** The decrypted settings JSON of a provider, or undefined when the shop has none. */
export async function loadCredentials(
  db: Db,
  encryptionKey: string | undefined,
  shopId: string,
  provider: Provider,
): Promise<unknown> {
  const row = await db.query.providerCredentials.findFirst({
    where: and(
      eq(providerCredentials.shopId, shopId),
      eq(providerCredentials.provider, provider),
      eq(providerCredentials.label, 'default'),
    ),
  });
  if (!row) return undefined;
  return openCredentials(encryptionKey, row.ciphertext);
}

/** Rows opened in this isolate, by key and ciphertext: a rotation seals anew, so a changed row misses. */
const opened = new Map<string, unknown>();
const MAX_OPENED = 256;

/**
 * The settings JSON sealed in a stored credentials row. Each row is decrypted once per isolate
 * (the dispatcher opens the same shop's row for every send); only settled values are kept, never a
 * promise, so no request waits on another's.
 */
export async function openCredentials(encryptionKey: string | undefined, ciphertext: string): Promise<unknown> {
  const key = `${encryptionKey ?? ''}\u0000${ciphertext}`;
  if (opened.has(key)) return opened.get(key);
  const value: unknown = Object.freeze(JSON.parse(await decryptSecret(encryptionKey, ciphertext)));
  if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
  opened.set(key, value);
  return value;
}
