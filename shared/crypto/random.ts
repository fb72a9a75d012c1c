/** Random identifiers and tokens from the Web Crypto CSPRNG. */
const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A base62 token of `length` characters (~5.95 bits each). */
export function randomToken(length: number): string {
  // 248 is the largest multiple of 62 below 256: rejecting above it keeps the draw uniform.
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += alphabet[byte % 62];
    }
  }
  return out;
}

/** A prefixed, sortable-enough id such as `shop_...` or `evt_...`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(20)}`;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
