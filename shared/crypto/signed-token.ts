/**
 * Signed, expiring capability tokens for links sent to buyers (the address
 * confirmation link). Stateless: the token carries its own fields and expiry.
 *
 *   token = base64url(JSON [expiry unix seconds, ...fields]) "." base64url(MAC)
 *   MAC   = first 16 bytes of HMAC-SHA256(key, purpose "." payload)
 *
 * The HMAC key is derived from the worker secret ENCRYPTION_KEY with HKDF-SHA256
 * (info `orderbell:<purpose>`), so no new secret has to be provisioned, the
 * AES key that seals stored secrets never signs anything itself, and a token
 * minted for one purpose never verifies for another. 128-bit MACs keep SMS links
 * short and are far beyond guessing; verification is constant-time.
 */
import { fromBase64, fromBase64Url, toBase64Url, utf8 } from './encoding';

const MAC_BYTES = 16;
const keys = new Map<string, Promise<CryptoKey>>();

function macKey(secret: string | undefined, purpose: string): Promise<CryptoKey> {
  if (!secret) throw new Error('ENCRYPTION_KEY is not set');
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', fromBase64(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(`orderbell:${purpose}`) },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign'],
        ),
      );
    keys.set(cacheKey, key);
  }
  return key;
}

async function mac(secret: string | undefined, purpose: string, payload: string): Promise<Uint8Array> {
  const full = await crypto.subtle.sign('HMAC', await macKey(secret, purpose), utf8(`${purpose}.${payload}`));
  return new Uint8Array(full).slice(0, MAC_BYTES);
}

export async function signToken(
  secret: string | undefined,
  purpose: string,
  fields: string[],
  expiresAt: Date,
): Promise<string> {
  const payload = toBase64Url(utf8(JSON.stringify([Math.floor(expiresAt.getTime() / 1000), ...fields])));
  return `${payload}.${toBase64Url(await mac(secret, purpose, payload))}`;
}

export type TokenCheck =
  { ok: true; fields: string[]; expiresAt: Date } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks the MAC first (nothing in an unsigned payload is trusted), then the expiry. */
export async function verifyToken(
  secret: string | undefined,
  purpose: string,
  token: string,
  now = new Date(),
): Promise<TokenCheck> {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  let given: Uint8Array;
  try {
    given = fromBase64Url(signature);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expected = await mac(secret, purpose, payload);
  if (given.length !== expected.length || !crypto.subtle.timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || !parsed.slice(1).every((f) => typeof f === 'string')) {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = new Date(parsed[0] * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, fields: parsed.slice(1) as string[], expiresAt };
}
