/** Issuing API keys: the key is shown once; only its SHA-256 digest is stored. */
import { sha256Hex } from '../../../shared/crypto/digest';
import { newId, randomToken } from '../../../shared/crypto/random';
import type { ApiKeyScope, apiKeys } from '../../../shared/db/schema';

/** Typed prefix so leaked keys are recognisable by secret scanners. */
export const API_KEY_PREFIX = 'obk_';

export async function newApiKey(shopId: string, name: string, scopes: ApiKeyScope[], now: Date) {
  const key = `${API_KEY_PREFIX}${randomToken(40)}`;
  const row: typeof apiKeys.$inferInsert = {
    id: newId('key'),
    shopId,
    name,
    prefix: key.slice(0, 12),
    digest: await sha256Hex(key),
    scopes,
    createdAt: now,
  };
  return { key, row };
}
