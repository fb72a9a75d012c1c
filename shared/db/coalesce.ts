/**
 * Statements that concurrent jobs issue in the same turn of the event loop, run as one D1 batch.
 *
 * D1 runs a database's queries one at a time, so the dispatcher's throughput is bounded by its round
 * trips, not its CPU (BENCHMARKS.md, delivery). The dispatcher works a queue batch's messages
 * concurrently, and their claims, provider notes and outcomes fall due at about the same moments:
 * `coalescing` collects what is asked for and sends it as one `db.batch`: for jobs that joined it
 * (`participant`), once all of them are waiting for D1 (or after `maxWaitMs`); otherwise `gatherMs`
 * after the first statement of a round (by default at the next macrotask).
 * Every statement it carries is conditional on its own row's state (shared/delivery/outbox.ts), so
 * one transaction holding several jobs' statements changes nothing about each one's outcome. If the
 * combined batch fails, each caller's statements run again alone, so only the caller whose statement
 * failed sees the error.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { runBatch, type Db } from './client';
import { plainD1 } from './coalesced-d1';

/** Runs statements as one batch (one transaction, in order) and answers each one's result, in order. */
export type RunStatements = (items: BatchItem<'sqlite'>[]) => Promise<unknown[]>;

export const direct =
  (db: Db): RunStatements =>
  (items) =>
    runBatch(db, items);

type Waiting = { items: BatchItem<'sqlite'>[]; resolve: (results: unknown[]) => void; reject: (e: unknown) => void };

/** One concurrent job's handle on a coalescer: its statements, and its leaving when it is done. */
export type Participant = { run: RunStatements; leave(): void };

export type Coalescer = RunStatements & {
  /**
   * Joins a job to the coalescer. While jobs have joined, a round of statements goes to D1 as soon as
   * every job still running is waiting for D1 (none can add to the round), or `maxWaitMs` after the
   * round's first statement, whichever comes first: concurrent jobs whose provider calls answer a few
   * milliseconds apart then record their outcomes in one round trip, not one per answer.
   */
  participant(): Participant;
};

export function coalescing(db: Db, options: { maxWaitMs?: number; gatherMs?: number } = {}): Coalescer {
  const maxWaitMs = options.maxWaitMs ?? 10;
  /** With no joined jobs, how long a round waits for company: for writes nobody waits on (outcomes). */
  const gatherMs = options.gatherMs ?? 0;
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let checkQueued = false;
  let active = 0;
  /** Pending calls (in this round or in a batch on its way) per joined job. */
  const pending = new Map<object, number>();

  const flush = async () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const calls = waiting;
    waiting = [];
    if (calls.length === 0) return;
    // On a coalesced binding (./coalesced-d1.ts) each call's batch is asked for in this turn: they
    // still share one round trip, and statements a merge takes become one (the dispatcher's notes).
    if (calls.length > 1 && plainD1(db.$client) !== db.$client) {
      for (const c of calls) runBatch(db, c.items).then(c.resolve, c.reject);
      return;
    }
    let results: unknown[];
    try {
      results = await runBatch(
        db,
        calls.flatMap((c) => c.items),
      );
    } catch (error) {
      if (calls.length === 1) calls[0]!.reject(error);
      else for (const c of calls) runBatch(db, c.items).then(c.resolve, c.reject);
      return;
    }
    let at = 0;
    for (const c of calls) {
      c.resolve(results.slice(at, at + c.items.length));
      at += c.items.length;
    }
  };
  // Checked once the current turn's synchronous work is done, so jobs started together all count.
  const check = () => {
    if (checkQueued) return;
    checkQueued = true;
    queueMicrotask(() => {
      checkQueued = false;
      if (waiting.length > 0 && active > 0 && pending.size >= active) void flush();
    });
  };
  const enqueue = (items: BatchItem<'sqlite'>[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (active === 0) {
        // No joined jobs: whatever is asked for in the same turn of the event loop, or within gatherMs.
        if (waiting.length === 1) timer = setTimeout(flush, gatherMs);
      } else {
        if (timer === undefined) timer = setTimeout(flush, maxWaitMs);
        check();
      }
    });

  const run: RunStatements = (items) => (items.length === 0 ? Promise.resolve([]) : enqueue(items));
  return Object.assign(run, {
    participant(): Participant {
      const self = {};
      active += 1;
      let left = false;
      return {
        run: (items) => {
          if (items.length === 0) return Promise.resolve([]);
          pending.set(self, (pending.get(self) ?? 0) + 1);
          const done = () => {
            const n = pending.get(self)! - 1;
            if (n === 0) pending.delete(self);
            else pending.set(self, n);
          };
          const answer = enqueue(items);
          answer.then(done, done);
          return answer;
        },
        leave() {
          if (left) return;
          left = true;
          active -= 1;
          check();
        },
      };
    },
  });
}
