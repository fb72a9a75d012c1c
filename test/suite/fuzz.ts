/**
 * A seeded generator of malformed requests: JSON values replaced by hostile ones, bytes flipped,
 * cut or made invalid UTF-8, and headers dropped, swapped or oversized. Same seed, same requests.
 */

/** mulberry32: small, fast, and reproducible from one 32-bit seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

/** Values that have broken parsers and stores before. */
export function hostileValue(r: Rng): unknown {
  return r.pick<() => unknown>([
    () => null,
    () => '',
    () => 'x'.repeat(r.pick([257, 5_000, 70_000])),
    () => '\ud800',
    () => 'a\udfffb',
    () => '\u0000',
    () => '😀'.repeat(100),
    () => '<script>alert(1)</script>',
    () => "'; DROP TABLE orders; --",
    () => '{{ shop.constructor }}',
    () => -1,
    () => 0,
    () => 1e308,
    () => -1e308,
    () => 2 ** 53 + 1,
    () => 3.5,
    () => true,
    () => [],
    () => {},
    () => ({ __proto__: { polluted: true } }),
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}'),
    () => nested(r.pick([20, 200])),
    () => Array.from({ length: r.pick([10, 600]) }, () => 'x'),
    () => '2026-02-30T25:61:00Z',
    () => '+86138001380001234567',
    () => 'constructor',
    () => '__proto__',
    () => 'toString',
  ])();
}

/** A copy of `value` with one node (or one key) replaced or removed. */
export function mutateJson(r: Rng, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || (depth > 0 && r.chance(0.25))) return hostileValue(r);
  if (Array.isArray(value)) {
    if (value.length === 0 || r.chance(0.15)) return [...value, hostileValue(r)];
    const copy = [...value];
    const i = r.int(copy.length);
    copy[i] = mutateJson(r, copy[i], depth + 1);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || r.chance(0.1)) {
    Object.defineProperty(copy, r.pick(['__proto__', 'constructor', 'extra', '\ud800', '']), {
      value: hostileValue(r),
      enumerable: true,
      configurable: true,
      writable: true,
    });
    return copy;
  }
  const key = r.pick(keys);
  if (r.chance(0.15)) delete copy[key];
  else copy[key] = mutateJson(r, copy[key], depth + 1);
  return copy;
}

const encoder = new TextEncoder();

/** Byte-level damage to a serialised body. */
export function mutateBytes(r: Rng, text: string): Uint8Array {
  const bytes = encoder.encode(text);
  return r.pick<() => Uint8Array>([
    () => bytes.slice(0, r.int(bytes.length)),
    () => {
      const copy = bytes.slice();
      for (let i = 0; i < 1 + r.int(4); i++) copy[r.int(copy.length)] = r.int(256);
      return copy;
    },
    () => {
      const at = r.int(bytes.length);
      return new Uint8Array([...bytes.slice(0, at), 0xff, 0xfe, 0xc0, ...bytes.slice(at)]);
    },
    () => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]),
    () => encoder.encode(text + text),
    () => new Uint8Array(0),
    () => encoder.encode('null'),
    () => encoder.encode('[]'),
  ])();
}

/** A body for one case: a mutated JSON value (mostly) or damaged bytes. */
export function fuzzBody(r: Rng, valid: unknown): Uint8Array {
  const json = JSON.stringify(mutateJson(r, valid)) ?? 'null';
  return r.chance(0.3) ? mutateBytes(r, json) : encoder.encode(json);
}

/** Headers with one thing wrong, or none. */
export function fuzzHeaders(r: Rng, headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  if (r.chance(0.6)) return copy;
  const names = Object.keys(copy);
  r.pick<() => void>([
    () => delete copy[r.pick(names)],
    () =>
      (copy['content-type'] = r.pick([
        'text/plain',
        'application/xml',
        'multipart/form-data',
        '',
        'application/json; charset=latin1',
      ])),
    () => (copy[r.pick(names)] = 'x'.repeat(r.pick([300, 8_000]))),
    () => (copy[r.pick(names)] = ' '),
  ])();
  return copy;
}
