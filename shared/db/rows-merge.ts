/**
 * A `Merge` (./coalesced-d1.ts) for a write whose parameters describe one row: the merged statement
 * takes every statement's parameters as one JSON array of rows (`k.value ->> i` is the i-th parameter
 * of the single statement) and RETURNs the key columns of what it wrote, so each statement gets back
 * its own `changes` (and, with `project`, its own returned rows).
 *
 * Two statements of one key in a group would make the merged statement's effect depend on which of
 * them SQLite meets first, so such a group runs unmerged, unless `firstWins`: for an insert that does
 * nothing on conflict, a later statement of a key written earlier does nothing, so the merged
 * statement carries the first only and the others are answered with no changes, as they would be.
 */
import type { Merge } from './coalesced-d1';

type Returned = Record<string, unknown>;

export function rowsMerge(spec: {
  /** The single statement's SQL text. */
  sql: string;
  /** The merged statement: its one parameter (?1) is the JSON array of the statements' parameters. */
  many: string;
  /** A statement's key, from its parameters. */
  key: (params: unknown[]) => string;
  /** The key of a row the merged statement returned. */
  returned: (row: Returned) => string;
  /** What the single statement returns of a row it wrote; without it, it returns no rows. */
  project?: (row: Returned) => Returned;
  /** A later statement of a key already written does nothing (ON CONFLICT DO NOTHING). */
  firstWins?: boolean;
}): Merge {
  return {
    sql: spec.sql,
    merge(params) {
      const seen = new Set<string>();
      const rows: string[] = [];
      for (const p of params) {
        const key = spec.key(p);
        if (!seen.has(key)) {
          seen.add(key);
          rows.push(JSON.stringify(p));
        } else if (!spec.firstWins) return undefined;
      }
      return { sql: spec.many, params: [`[${rows.join(',')}]`] };
    },
    answer(merged, params) {
      const written = new Map<string, Returned[]>();
      for (const row of merged.results as Returned[]) {
        const key = spec.returned(row);
        written.set(key, [...(written.get(key) ?? []), row]);
      }
      return params.map((p) => {
        const key = spec.key(p);
        const rows = written.get(key) ?? [];
        written.delete(key); // a later statement of the key changed nothing
        const changes = rows.length;
        return {
          success: true,
          results: spec.project ? rows.map(spec.project) : [],
          meta: { ...merged.meta, changes, rows_written: changes },
        } as D1Result;
      });
    },
  };
}
