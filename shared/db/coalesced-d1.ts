/**
 * A D1 binding whose queries, from jobs running concurrently, share round trips.
 *
 * D1 runs one database's queries one at a time, and locally the database shares workerd's one
 * thread with every worker, so a queue batch's jobs cost one round trip per query each
 * (BENCHMARKS.md, peak). A flow consumer runs a batch's jobs at once (shared/flows/consumer.ts) on
 * this binding: every query and batch asked for in the same turn of the event loop goes to D1 as
 * one `batch`, one transaction, in the order asked. Each job still awaits its own queries in order,
 * so a job reads its own writes. A query asked for alone runs as it would on the plain binding.
 *
 * What changes nothing about a job's outcome: the flows' writes are conditional on their rows'
 * state (a claim, a business key), so sharing a transaction with another job's statements cannot
 * change what they do. If the shared batch fails, every call runs again alone (the failed
 * transaction changed nothing), so only the job whose statement failed sees the error.
 *
 * A statement that ends many jobs' batches alike can be done for all of them by one statement (a
 * `Tail`: the flows' timer completions, shared/flows/timers.ts). At a flush, every batch whose last
 * statement is a tail's gives it up, and the tail's one merged statement runs at the end of the shared
 * transaction instead: still in the same transaction as each job's other writes, and after them, as
 * it was. A job's statements never touch another job's timers (one order's jobs run one after
 * another), so moving the completions to the transaction's end changes nothing. Each job gets its
 * own result back from the tail's `answer`. If the shared batch fails, each job runs its own batch
 * alone, its own completion included.
 *
 * Rows of a shared batch come back as objects; a `raw()` read gets them as arrays in column order.
 * Two columns of one name would collapse into one key, so reads with a JOIN are never shared, and
 * a row whose keys could have been reordered (integer-like column names) fails loudly.
 */

type Kind = 'run' | 'all' | 'first' | 'raw' | 'batch';
type Source = { sql: string; params: unknown[] };
type Ask = { kind: Kind; statements: D1PreparedStatement[]; column?: string; sources?: Source[] };
type Call = Ask & { resolve: (value: unknown) => void; reject: (error: unknown) => void };

const UNWRAP = Symbol('coalesced D1 statement');
const SOURCE = Symbol('coalesced D1 statement source');
const PLAIN = Symbol('coalesced D1 binding');

/** The binding under a coalesced one (or the binding itself): one identity per database, for caches. */
export const plainD1 = (d1: D1Database): D1Database => (d1 as { [PLAIN]?: D1Database })[PLAIN] ?? d1;
const JOIN = /\bjoin\b/i;
const INTEGER_KEY = /^(?:0|[1-9]\d*)$/;

function rawRows(result: D1Result): unknown[][] {
  return (result.results as Record<string, unknown>[]).map((row) => {
    const keys = Object.keys(row);
    if (keys.length > 1 && keys.some((k) => INTEGER_KEY.test(k))) {
      throw new Error('coalesced D1: a row with an integer-like column name cannot keep its column order');
    }
    return keys.map((k) => row[k]);
  });
}

function answer(call: Ask, results: D1Result[]): unknown {
  const [first] = results;
  switch (call.kind) {
    case 'batch':
      return results;
    case 'run':
    case 'all':
      return first;
    case 'raw':
      return rawRows(first!);
    case 'first': {
      const row = (first!.results as Record<string, unknown>[])[0];
      if (row === undefined) return null;
      return call.column === undefined ? row : row[call.column];
    }
  }
}

/** The call on the plain binding, as if it had never been shared. */
function alone(d1: D1Database, call: Ask): Promise<unknown> {
  const [stmt] = call.statements;
  switch (call.kind) {
    case 'batch':
      return d1.batch(call.statements);
    case 'run':
      return stmt!.run();
    case 'all':
      return stmt!.all();
    case 'raw':
      return stmt!.raw();
    case 'first':
      return call.column === undefined ? stmt!.first() : stmt!.first(call.column);
  }
}

/** A last statement that one statement can do for many batches (see above). */
export type Tail = {
  /** The SQL text of the statement, exactly as the jobs prepare it. */
  sql: string;
  /** One statement doing what the statements with these parameters would each have done. */
  merge(params: unknown[][]): Source;
  /** Each statement's own result, in the order given, from the merged statement's result. */
  answer(merged: D1Result, params: unknown[][]): D1Result[];
};

/** Which tail each call gives up its last statement to (only tails that more than one call ends with). */
function heldTails(calls: Call[], tails: readonly Tail[]): Map<Tail, number[]> {
  const held = new Map<Tail, number[]>();
  if (tails.length === 0) return held;
  calls.forEach((c, i) => {
    const last = c.kind === 'batch' ? c.sources?.at(-1) : undefined;
    const tail = last && tails.find((t) => t.sql === last.sql);
    if (!tail) return;
    const callers = held.get(tail);
    if (callers) callers.push(i);
    else held.set(tail, [i]);
  });
  for (const [tail, callers] of held) if (callers.length < 2) held.delete(tail);
  return held;
}

export function coalescedD1(d1: D1Database, options: { tails?: readonly Tail[] } = {}): D1Database {
  const tails = options.tails ?? [];
  let waiting: Call[] = [];

  const flush = async () => {
    const calls = waiting;
    waiting = [];
    if (calls.length === 1) {
      alone(d1, calls[0]!).then(calls[0]!.resolve, calls[0]!.reject);
      return;
    }
    const held = heldTails(calls, tails);
    const heldBy = new Map<number, { tail: Tail; at: number }>();
    for (const [tail, callers] of held) callers.forEach((call, at) => heldBy.set(call, { tail, at }));
    const own = calls.map((c, i) => (heldBy.has(i) ? c.statements.slice(0, -1) : c.statements));
    const tailParams = new Map(
      [...held].map(([tail, callers]) => [tail, callers.map((i) => calls[i]!.sources!.at(-1)!.params)]),
    );
    const merged = [...tailParams].map(([tail, params]) => {
      const one = tail.merge(params);
      return d1.prepare(one.sql).bind(...one.params);
    });
    let results: D1Result[];
    try {
      results = await d1.batch([...own.flat(), ...merged]);
    } catch {
      for (const c of calls) alone(d1, c).then(c.resolve, c.reject);
      return;
    }
    const tailResults = new Map<Tail, D1Result[]>();
    let end = results.length - merged.length;
    for (const [tail, params] of tailParams) tailResults.set(tail, tail.answer(results[end++]!, params));
    let at = 0;
    for (const [i, c] of calls.entries()) {
      const mine = results.slice(at, at + own[i]!.length);
      at += own[i]!.length;
      const givenUp = heldBy.get(i);
      if (givenUp) mine.push(tailResults.get(givenUp.tail)![givenUp.at]!);
      try {
        c.resolve(answer(c, mine));
      } catch (error) {
        c.reject(error);
      }
    }
  };

  const enqueue = (call: Ask) =>
    new Promise<unknown>((resolve, reject) => {
      if (call.statements.length === 0) return resolve([]);
      waiting.push({ ...call, resolve, reject });
      if (waiting.length === 1) setTimeout(flush, 0);
    });

  const statement = (sql: string, params: unknown[]): D1PreparedStatement => {
    const real = () => d1.prepare(sql).bind(...params);
    const read = (kind: 'all' | 'first' | 'raw', column?: string) => {
      const ask: Ask = { kind, column, statements: [real()] };
      return JOIN.test(sql) ? alone(d1, ask) : enqueue(ask);
    };
    const stmt = {
      bind: (...values: unknown[]) => statement(sql, values),
      run: () => enqueue({ kind: 'run', statements: [real()] }),
      all: () => read('all'),
      first: (column?: string) => read('first', column),
      raw: (options?: { columnNames?: boolean }) => (options?.columnNames ? real().raw(options as never) : read('raw')),
      [UNWRAP]: real,
      [SOURCE]: { sql, params } satisfies Source,
    };
    return stmt as unknown as D1PreparedStatement;
  };

  const unwrap = (s: D1PreparedStatement) => (s as unknown as { [UNWRAP]: () => D1PreparedStatement })[UNWRAP]();
  const sourceOf = (s: D1PreparedStatement) => (s as unknown as { [SOURCE]: Source })[SOURCE];

  return {
    prepare: (sql: string) => statement(sql, []),
    batch: (statements: D1PreparedStatement[]) =>
      enqueue({ kind: 'batch', statements: statements.map(unwrap), sources: statements.map(sourceOf) }),
    exec: (query: string) => d1.exec(query),
    withSession: (constraint?: string) => d1.withSession(constraint as never),
    dump: () => d1.dump(),
    [PLAIN]: plainD1(d1),
  } as unknown as D1Database;
}
