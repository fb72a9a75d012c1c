/** The drizzle client over the D1 binding, with every table of the schema; one per binding per isolate. */
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

const clients = new WeakMap<D1Database, ReturnType<typeof create>>();
const create = (d1: D1Database) => drizzle(d1, { schema });

export function db(d1: D1Database) {
  let client = clients.get(d1);
  if (!client) {
    client = create(d1);
    clients.set(d1, client);
  }
  return client;
}

export type Db = ReturnType<typeof db>;

/**
 * The sharding seam: every access to one shop's data asks for that shop's database here. Today
 * every shop lives in the one D1 binding; a shard map (docs/SCALING.md) changes only these two
 * functions, not the flows.
 */
export const d1For = (env: { DB: D1Database }, _shopId: string): D1Database => env.DB;
export const dbFor = (env: { DB: D1Database }, shopId: string): Db => db(d1For(env, shopId));
/** Every database, for the cron scans that cover all shops. */
export const shards = (env: { DB: D1Database }): D1Database[] => [env.DB];

/** Runs statements as one D1 batch (one transaction); an empty list runs nothing. */
export async function runBatch(db: Db, items: BatchItem<'sqlite'>[]): Promise<unknown[]> {
  if (items.length === 0) return [];
  return db.batch(items as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}
