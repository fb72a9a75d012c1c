/**
 * The private copy's table list (children before the tables they reference) must hold every table
 * with shop rows: a table left out keeps a run's rows, or fails the delete on its foreign key, as
 * short links once did.
 */
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as schema from '../../shared/db/schema';
import { shopTables } from './private-copy';

/** Run rows live in SIM_DB and are kept by the run itself, not in a private copy. */
const runTables = new Set(['simulations', 'simulation_inputs']);

describe('the private copy', () => {
  it('deletes every table that holds shop rows', () => {
    const withShopRows = (Object.values(schema) as unknown[])
      .filter((value): value is SQLiteTable => is(value, SQLiteTable))
      .map((table) => getTableConfig(table))
      .filter((config) => config.columns.some((c) => c.name === 'shop_id') && !runTables.has(config.name))
      .map((config) => config.name)
      .sort();
    expect(shopTables.map((t) => getTableConfig(t).name).sort()).toEqual(withShopRows);
  });
});
