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

/** The settings JSON sealed in a stored credentials row. */
export async function openCredentials(encryptionKey: string | undefined, ciphertext: string): Promise<unknown> {
  return JSON.parse(await decryptSecret(encryptionKey, ciphertext));
}
