/** Seeding large backlogs straight into D1 for the pass benchmarks: literal multi-row INSERTs in batches. */
import type { BenchD1 } from './gateway.ts';

export const ROWS_PER_INSERT = 200; // about 50 KB of SQL: D1 refuses statements over 100 KB
export const INSERTS_PER_BATCH = 20;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs INSERT statements in D1 batches, reporting progress after each batch. */
export async function insertAll(d1: BenchD1, statements: string[], onBatch: (done: number) => void) {
  for (let i = 0; i < statements.length; i += INSERTS_PER_BATCH) {
    const chunk = statements.slice(i, i + INSERTS_PER_BATCH);
    await d1.batch(chunk.map((sql) => d1.prepare(sql)));
    onBatch(Math.min(statements.length, i + INSERTS_PER_BATCH));
  }
}

export function chunked<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
