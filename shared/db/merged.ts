/**
 * Statements by key that the concurrent jobs of one queue batch ask for together go to D1 as one
 * statement. Locally each statement costs Miniflare's D1 object a fixed amount however few rows it
 * touches (BENCHMARKS.md, peak), and a flow batch's triggers each claim their timer and read their
 * order, buyer and parcels: N statements of one shape, in one round trip already (./coalesced-d1.ts).
 *
 * On a coalesced binding (one queue batch) the keys asked for in the same turn of the event loop
 * are collected by a DataLoader per binding and statement, and `many` answers them all with one
 * statement (its keys as one JSON parameter, so no limit on bound parameters applies). On a plain
 * binding (a pass, a test, the simulator) `one` runs the key alone, as before. Nothing is cached:
 * a key asked for again later runs again.
 */
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { plainD1 } from './coalesced-d1';

/** Keys per statement: a queue batch is at most 100 jobs. */
export const MAX_MERGED_KEYS = 100;

const loaders = new WeakMap<D1Database, Map<string, DataLoader<unknown, unknown>>>();

export type MergedSpec<K, V> = {
  /** Names the statement; keys are merged only with keys of the same name (and `part`). */
  name: string;
  one: (db: Db, key: K) => Promise<V>;
  /** Answers every key, in the order given (`undefined` for none). */
  many: (db: Db, keys: readonly K[]) => Promise<V[]>;
  /** Keys of different parts never share a statement (e.g. claims made at different times). */
  part?: (key: K) => string;
};

export function merged<K, V>(spec: MergedSpec<K, V>): (db: Db, key: K) => Promise<V> {
  return (db, key) => {
    const d1 = db.$client;
    if (plainD1(d1) === d1) return spec.one(db, key);
    let byName = loaders.get(d1);
    if (!byName) loaders.set(d1, (byName = new Map()));
    const name = spec.part ? `${spec.name}:${spec.part(key)}` : spec.name;
    let loader = byName.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => spec.many(db, keys), { cache: false, maxBatchSize: MAX_MERGED_KEYS });
      byName.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader.load(key);
  };
}

/** A map key for a tuple of strings (NUL never occurs in ids). */
export const tupleKey = (...parts: (string | number)[]) => parts.join('\u0000');

/**
 * `(shop, x)` keys as one JSON parameter, bound by the name `pairs` (./prepared-item.ts), and the
 * condition that a row's `(shopColumn, column)` is one of them: `value ->> 0, value ->> 1`.
 */
export const pairs = <K extends { shopId: string }>(keys: readonly K[], second: (k: K) => string) =>
  JSON.stringify(keys.map((k) => [k.shopId, second(k)]));
export const pairsIn = (shopColumn: unknown, column: unknown) =>
  sql`(${shopColumn}, ${column}) IN (SELECT value ->> 0, value ->> 1 FROM json_each(${sql.placeholder('pairs')}))`;

/**
 * The condition that a row is the newest of its table, by `orderColumn`, for one of the `(shop, key)`
 * pairs bound as `pairs` (see `pairs`): one row at most per pair, each found through the index that
 * serves the single read. `where` narrows the candidates (SQL over the alias `t`).
 */
export const newestPerPair = (table: string, keyColumn: string, orderColumn: string, where = '') =>
  sql`rowid IN (SELECT (SELECT t.rowid FROM ${sql.raw(table)} AS t
    WHERE t.shop_id = k.value ->> 0 AND t.${sql.raw(keyColumn)} = k.value ->> 1${sql.raw(where ? ` AND ${where}` : '')}
    ORDER BY t.${sql.raw(orderColumn)} DESC LIMIT 1) FROM json_each(${sql.placeholder('pairs')}) AS k)`;

/**
 * For keys sent as one JSON parameter (`?1`), which of them `sql` names: it selects `k.key AS i`, the
 * position of each matching key, `FROM json_each(?1) AS k`. Answers a boolean per key, in order.
 */
export async function keysWhere(db: Db, sqlText: string, keysJson: string, count: number): Promise<boolean[]> {
  const { results } = await db.$client.prepare(sqlText).bind(keysJson).all<{ i: number }>();
  const yes = new Set(results.map((r) => r.i));
  return Array.from({ length: count }, (_, i) => yes.has(i));
}
