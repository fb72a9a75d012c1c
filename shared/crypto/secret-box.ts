/**
 * AES-GCM encryption of stored secrets (webhook secrets, provider credentials)
 * under the worker secret ENCRYPTION_KEY (base64 of 32 bytes).
 * Stored form: `v1.<base64 iv>.<base64 ciphertext+tag>`.
 */
import { fromBase64, toBase64, utf8 } from './encoding';

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(encoded: string | undefined): Promise<CryptoKey> {
  if (!encoded) throw new Error('ENCRYPTION_KEY is not set');
  let key = keys.get(encoded);
  if (!key) {
    const raw = fromBase64(encoded);
    if (raw.length !== 32) throw new Error('ENCRYPTION_KEY must be base64 of 32 bytes');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(encoded, key);
  }
  return key;
}

export async function encryptSecret(keyB64: string | undefined, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await importKey(keyB64), utf8(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** Decrypted values by ciphertext: a rotated secret has a new ciphertext, so nothing goes stale. */
const opened = new Map<string, string>();
const MAX_OPENED = 1_000;

export async function decryptSecret(keyB64: string | undefined, stored: string): Promise<string> {
  const cacheKey = `${keyB64}\u0000${stored}`;
  const hit = opened.get(cacheKey);
  if (hit !== undefined) return hit;
  const value = await openSecret(keyB64, stored);
  if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
  opened.set(cacheKey, value);
  return value;
}

async function openSecret(keyB64: string | undefined, stored: string): Promise<string> {
  const [version, iv, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !sealed) throw new Error('Unknown secret format');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(iv) },
    await importKey(keyB64),
    fromBase64(sealed),
  );
  return new TextDecoder().decode(plain);
}
