/**
 * Statements built once per shape, for hot paths (the intake).
 *
 * Building a query with drizzle costs more CPU than the D1 write it describes (BENCHMARKS.md,
 * intake: about a third of the gateway's time was query building). A hot statement is therefore
 * built once per isolate and shape with drizzle placeholders, and each call only binds its values.
 * The shape is the statement's name plus the keys of its row that are defined: drizzle writes a
 * column's default (or NULL) for a key left undefined, so rows with different keys need different
 * SQL. A placeholder that stands for a column's value is mapped through that column when bound
 * (dates to epoch ms, JSON to text, booleans to 0/1), exactly as drizzle maps a value; NULL stays
 * NULL, as drizzle leaves it.
 */
import { is, Param, Placeholder, sql } from 'drizzle-orm';

/** SQL text and its parameters in order: what D1 prepares and binds. */
export type RawStatement = { sql: string; params: unknown[] };
type Built = { toSQL(): { sql: string; params: unknown[] } };
/** A parameter: fixed at build time, or a named value, mapped through its column when it has one. */
type Slot = { fixed: unknown } | { name: string; encoder?: { mapToDriverValue(value: unknown): unknown } };
type Compiled = { sql: string; slots: Slot[] };

function slotOf(param: unknown): Slot {
  if (is(param, Placeholder)) return { name: param.name };
  if (is(param, Param) && is(param.value, Placeholder)) return { name: param.value.name, encoder: param.encoder };
  return { fixed: param };
}
export type Row = Record<string, unknown>;

const compiled = new Map<string, Compiled>();
/** Shapes are a handful per statement; the bound only guards against a bug minting keys. */
const MAX_SHAPES = 500;

/** Placeholders named after the row's defined keys: what a builder puts where the values go. */
export function placeholders<T extends Row>(row: T): { [K in keyof T]: Placeholder<K & string> } {
  const out: Row = {};
  for (const key of Object.keys(row)) if (row[key] !== undefined) out[key] = sql.placeholder(key);
  return out as { [K in keyof T]: Placeholder<K & string> };
}

/** The cache key of a statement for this row: its name and the row's defined keys. */
export function shapeKey(name: string, row: Row): string {
  let key = name;
  for (const k of Object.keys(row)) if (row[k] !== undefined) key += `,${k}`;
  return key;
}

/**
 * The statement `build` describes, with `values` bound in place of its placeholders. `build` runs
 * only the first time a `key` is seen in this isolate.
 */
export function prepared(key: string, build: () => Built, values: Row): RawStatement {
  let entry = compiled.get(key);
  if (!entry) {
    const { sql: text, params } = build().toSQL();
    entry = { sql: text, slots: params.map(slotOf) };
    if (compiled.size >= MAX_SHAPES) compiled.clear();
    compiled.set(key, entry);
  }
  const params = entry.slots.map((slot) => {
    if ('fixed' in slot) return slot.fixed;
    if (!Object.hasOwn(values, slot.name)) throw new Error(`prepared ${key}: no value for ${slot.name}`);
    const value = values[slot.name];
    return value === null || !slot.encoder ? value : slot.encoder.mapToDriverValue(value);
  });
  return { sql: entry.sql, params };
}

/** A drizzle query built now, as SQL and parameters (statements not worth caching). */
export const rawOf = (query: unknown): RawStatement => (query as Built).toSQL();

/**
 * A statement over one row, built once per shape: `build` gets the row's placeholders, and the
 * row's values are bound (the common form of `placeholders`, `shapeKey` and `prepared` together).
 */
export function preparedRow<T extends Row>(
  name: string,
  row: T,
  build: (slots: { [K in keyof T]: Placeholder<K & string> }) => Built,
): RawStatement {
  return prepared(shapeKey(name, row), () => build(placeholders(row)), row);
}

/** Runs raw statements as one D1 batch (one transaction). */
export async function runRaw(d1: D1Database, statements: RawStatement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  return d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)));
}
