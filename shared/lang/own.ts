/**
 * Lookups keyed by values from outside (provider statuses, form fields, stored paths) read own
 * properties only: a key such as `constructor`, `__proto__` or `toString` must miss, never reach
 * Object.prototype.
 */

/** `map[key]` when `key` is the map's own property, else undefined. */
export function ownValue<V>(map: Readonly<Record<string, V>>, key: string | undefined | null): V | undefined {
  return typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Follows `a.b.0.c` through plain objects and arrays by own properties only. */
export function ownPath(data: unknown, keys: readonly string[]): unknown {
  let node = data;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
