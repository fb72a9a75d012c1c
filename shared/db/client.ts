/** The drizzle client over the D1 binding, with every table of the schema; one per binding per isolate. */
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
