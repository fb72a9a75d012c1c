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
 * Statements that many jobs make alike can be done for all of them by one statement (a `Merge`:
 * the flows' timer completions, arms and disarms, message inserts and cancels). Miniflare's D1 pays
 * per statement (BENCHMARKS.md, peak), and a queue batch's jobs mostly make the same few. At a
 * flush the calls' statements are interleaved, each call's in its own order, so that those a merge
 * takes are due together (`schedule`), and each such group runs as the merge's one statement, in the
 * same transaction as before. A job's statements never touch another job's rows (one order's jobs
 * run one after another, and the rows they write are the order's), so the interleaving changes
 * nothing any job sees. Each job gets its own result back from the merge's `answer`. If the shared
 * batch fails, each job runs its own batch alone, unmerged.
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

/**
 * A statement that one statement can do for many jobs at once (see above): the jobs' statements of
 * this exact SQL text, due together, go to D1 as `merge`'s one statement.
 */
export type Merge = {
  /** The SQL text of the statement, exactly as the jobs prepare it. */
  sql: string;
  /**
   * One statement doing what the statements with these parameters would each have done; undefined
   * when these cannot be merged (each then runs as it was).
   */
  merge(params: unknown[][]): Source | undefined;
  /** Each statement's own result, in the order given, from the merged statement's result. */
  answer(merged: D1Result, params: unknown[][]): D1Result[];
};

/** The most statements one merged statement stands for (a queue batch holds at most 100 jobs). */
const MAX_MERGED = 100;

/** One statement of the shared batch: a call's own, or a merge standing for several calls' statements. */
type Step = { owners: { call: number; at: number }[]; merge?: Merge; source?: Source };

/**
 * The order of a shared batch: each call's statements in its own order, the calls' statements
 * interleaved so that statements a merge can do together are due together. Each round runs every
 * call's next statement that no merge takes, then the largest group of calls whose next statements
 * share a merge, preferring a merge that no call holds further on (a completion, which ends every
 * call, waits until all calls have reached it). Interleaving changes nothing a job sees: one job's
 * statements never touch another's rows (see above).
 */
function schedule(calls: Call[], merges: ReadonlyMap<string, Merge>): Step[] {
  const mergeable = (c: Call) => c.kind === 'batch' || c.kind === 'run';
  const mergeOf = (i: number, at: number) => {
    const c = calls[i]!;
    return mergeable(c) ? merges.get(c.sources?.[at]?.sql ?? '') : undefined;
  };
  const next = calls.map(() => 0);
  /** Statements of each merge behind the calls' next ones. */
  const later = new Map<Merge, number>();
  calls.forEach((c, i) => {
    for (let at = 1; at < c.statements.length; at++) {
      const m = mergeOf(i, at);
      if (m) later.set(m, (later.get(m) ?? 0) + 1);
    }
  });
  const advance = (i: number) => {
    next[i]! += 1;
    const m = next[i]! < calls[i]!.statements.length ? mergeOf(i, next[i]!) : undefined;
    if (m) later.set(m, later.get(m)! - 1);
  };
  const steps: Step[] = [];
  for (;;) {
    const groups = new Map<Merge, number[]>();
    calls.forEach((c, i) => {
      while (next[i]! < c.statements.length && !mergeOf(i, next[i]!)) {
        steps.push({ owners: [{ call: i, at: next[i]! }] });
        advance(i);
      }
      const m = next[i]! < c.statements.length ? mergeOf(i, next[i]!) : undefined;
      if (m) groups.set(m, [...(groups.get(m) ?? []), i]);
    });
    if (groups.size === 0) return steps;
    let best: [Merge, number[]] | undefined;
    for (const group of groups) {
      const rank = (g: [Merge, number[]]) => (later.get(g[0]) ? 0 : 1_000) + g[1].length;
      if (!best || rank(group) > rank(best)) best = group;
    }
    const [merge, owners] = best!;
    for (let from = 0; from < owners.length; from += MAX_MERGED) {
      const chunk = owners.slice(from, from + MAX_MERGED);
      const slots = chunk.map((call) => ({ call, at: next[call]! }));
      const one = chunk.length > 1 ? merge.merge(slots.map((s) => calls[s.call]!.sources![s.at]!.params)) : undefined;
      if (one) steps.push({ owners: slots, merge, source: one });
      else for (const slot of slots) steps.push({ owners: [slot] });
    }
    for (const call of owners) advance(call);
  }
}

export function coalescedD1(d1: D1Database, options: { merges?: readonly Merge[] } = {}): D1Database {
  const merges = new Map((options.merges ?? []).map((m) => [m.sql, m]));
  let waiting: Call[] = [];

  const flush = async () => {
    const calls = waiting;
    waiting = [];
    if (calls.length === 1) {
      alone(d1, calls[0]!).then(calls[0]!.resolve, calls[0]!.reject);
      return;
    }
    const steps = schedule(calls, merges);
    let results: D1Result[];
    try {
      results = await d1.batch(
        steps.map((step) => {
          if (step.source) return d1.prepare(step.source.sql).bind(...step.source.params);
          const [{ call, at }] = step.owners as [{ call: number; at: number }];
          return calls[call]!.statements[at]!;
        }),
      );
    } catch {
      for (const c of calls) alone(d1, c).then(c.resolve, c.reject);
      return;
    }
    const mine = calls.map((c) => new Array<D1Result>(c.statements.length));
    steps.forEach((step, i) => {
      const result = results[i]!;
      if (!step.merge) {
        const [{ call, at }] = step.owners as [{ call: number; at: number }];
        mine[call]![at] = result;
        return;
      }
      const params = step.owners.map(({ call, at }) => calls[call]!.sources![at]!.params);
      step.merge.answer(result, params).forEach((own, k) => {
        const { call, at } = step.owners[k]!;
        mine[call]![at] = own;
      });
    });
    for (const [i, c] of calls.entries()) {
      try {
        c.resolve(answer(c, mine[i]!));
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
      run: () => enqueue({ kind: 'run', statements: [real()], sources: [{ sql, params }] }),
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
