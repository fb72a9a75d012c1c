/**
 * Statements that concurrent jobs issue in the same turn of the event loop, run as one D1 batch.
 *
 * D1 runs a database's queries one at a time, so the dispatcher's throughput is bounded by its round
 * trips, not its CPU (BENCHMARKS.md, delivery). The dispatcher works a queue batch's messages
 * concurrently, and their claims, provider notes and outcomes fall due at about the same moments:
 * `coalescing` collects what is asked for until the next macrotask and sends it as one `db.batch`.
 * Every statement it carries is conditional on its own row's state (shared/delivery/outbox.ts), so
 * one transaction holding several jobs' statements changes nothing about each one's outcome. If the
 * combined batch fails, each caller's statements run again alone, so only the caller whose statement
 * failed sees the error.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { runBatch, type Db } from './client';

/** Runs statements as one batch (one transaction, in order) and answers each one's result, in order. */
export type RunStatements = (items: BatchItem<'sqlite'>[]) => Promise<unknown[]>;

export const direct =
  (db: Db): RunStatements =>
  (items) =>
    runBatch(db, items);

type Waiting = { items: BatchItem<'sqlite'>[]; resolve: (results: unknown[]) => void; reject: (e: unknown) => void };

export function coalescing(db: Db): RunStatements {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const calls = waiting;
    waiting = [];
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
  return (items) =>
    new Promise((resolve, reject) => {
      if (items.length === 0) return resolve([]);
      waiting.push({ items, resolve, reject });
      if (waiting.length === 1) setTimeout(flush, 0);
    });
}
