/** SHA-256 digests and constant-time comparison. */
import { toHex, utf8 } from './encoding';

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8(text)));
}

/**
 * Compares two strings in time independent of where they differ. Both sides are
 * hashed first so that their lengths leak nothing either.
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', utf8(a)),
    crypto.subtle.digest('SHA-256', utf8(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
