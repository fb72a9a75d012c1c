/**
 * Drizzle batch items built once and bound per use, for the dispatcher's per-message statements
 * (reads whose rows drizzle maps, in `runBatch` and the coalescer). The intake's writes use the
 * lighter raw form in ./prepared.ts.
 *
 * drizzle builds a statement's SQL text from its query builder every time the statement runs; for
 * the dispatcher's claim, reads and provider note that building was the largest part of its own
 * CPU per message (BENCHMARKS.md, delivery). `preparedItem` builds the statement once per drizzle client
 * with `sql.placeholder`s (drizzle's `.prepare()`), and each use only binds the values: the result
 * is a batch item like any query builder, for `runBatch` and the coalescer, mapped to rows by the
 * same drizzle code as an unprepared one; awaited alone, it runs alone.
 */
import { fillPlaceholders } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { RunnableQuery } from 'drizzle-orm/runnable-query';
import { runBatch, type Db } from './client';

/** The parts of drizzle's D1 prepared query that its `batch` uses (drizzle-orm/d1/session.js). */
type D1Prepared = {
  query: { sql: string; params: unknown[] };
  stmt: D1PreparedStatement;
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
};

/**
 * A statement of `build`'s shape, built once per drizzle client, bound to `values` per use. The
 * builder must use `sql.placeholder(name)` for every value that differs between uses.
 */
export function preparedItem<Values extends Record<string, unknown>>(
  build: (db: Db) => { prepare(): unknown },
): (db: Db, values: Values) => BatchItem<'sqlite'> {
  const built = new WeakMap<Db, D1Prepared>();
  return (db, values) => {
    let once = built.get(db);
    if (!once) {
      once = build(db).prepare() as D1Prepared;
      built.set(db, once);
    }
    const statement = once;
    const query = { sql: statement.query.sql, params: fillPlaceholders(statement.query.params, values) };
    return batchItem(db, query, statement.stmt, (response, isFromBatch) => statement.mapResult(response, isFromBatch));
  };
}

/**
 * A batch item of raw SQL and its parameters, for a statement whose text must be known exactly (one
 * the coalescer merges, coalesced-d1.ts Tail) or that is cheaper written once than built per use. Its
 * result is D1's own (`{ results, meta }`), or what `map` makes of it.
 */
export function rawItem<T = D1Result>(
  db: Db,
  sql: string,
  params: unknown[],
  map: (response: D1Result) => T = (response) => response as T,
): RunnableQuery<T, 'sqlite'> & PromiseLike<T> {
  const item = batchItem(db, { sql, params }, db.$client.prepare(sql), (response) => map(response as D1Result));
  return item as unknown as RunnableQuery<T, 'sqlite'> & PromiseLike<T>;
}

function batchItem(
  db: Db,
  query: { sql: string; params: unknown[] },
  stmt: D1PreparedStatement,
  mapResult: (response: unknown, isFromBatch?: boolean) => unknown,
): BatchItem<'sqlite'> {
  const bound = { getQuery: () => query, stmt, mapResult };
  const item = {
    // drizzle's batch asks each item for `_prepare()` and uses getQuery, stmt and mapResult of what it returns.
    _prepare: () => bound,
    // Awaited on its own it runs, as a drizzle query builder does.
    then<T, E = never>(
      onFulfilled?: (rows: unknown) => T | PromiseLike<T>,
      onRejected?: (e: unknown) => E | PromiseLike<E>,
    ) {
      return runBatch(db, [item as unknown as BatchItem<'sqlite'>])
        .then(([rows]) => rows)
        .then(onFulfilled, onRejected);
    },
  };
  return item as unknown as BatchItem<'sqlite'>;
}
