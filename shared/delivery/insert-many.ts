/**
 * Inserts many outbox rows in one raw statement: the rows travel as one JSON parameter (D1 binds at
 * most 100 parameters, a message has 30 columns) and `INSERT … SELECT … FROM json_each` spreads
 * them. Like `insertMessage`, a row whose business key exists is skipped (ON CONFLICT DO NOTHING),
 * and RETURNING names the rows written. Values go through each column's own drizzle mapping, and
 * a column a row leaves out takes its schema default, as a drizzle insert would.
 */
import { getTableColumns } from 'drizzle-orm';
import type { Merge } from '../db/coalesced-d1';
import { messages } from '../db/schema';
import type { MessageRow } from './outbox';

const columns = Object.entries(getTableColumns(messages));
const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
const picks = columns.map((_, i) => `value ->> ${i}`).join(', ');
// `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
const SQL = `INSERT INTO messages (${names}) SELECT ${picks} FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING RETURNING id`;

function driverValues(row: MessageRow): unknown[] {
  return columns.map(([key, column]) => {
    const given = (row as Record<string, unknown>)[key];
    const value = given === undefined ? (column.hasDefault ? column.default : null) : given;
    return value === null || value === undefined ? null : column.mapToDriverValue(value);
  });
}

/** The statement's text and its one parameter, for these rows. */
export const insertMessagesSql = (rows: MessageRow[]) => ({ sql: SQL, param: JSON.stringify(rows.map(driverValues)) });

export function insertMessagesStatement(d1: D1Database, rows: MessageRow[]): D1PreparedStatement {
  const { sql, param } = insertMessagesSql(rows);
  return d1.prepare(sql).bind(param);
}

const ID = columns.findIndex(([key]) => key === 'id');

/**
 * Many inserts as one statement, for a flow's coalesced binding (../db/coalesced-d1.ts): their rows,
 * in order, in one JSON parameter. Rows are written one by one as each insert would have written
 * them (a later row of a business key already written is skipped, as it would have been), and each
 * insert gets back the ids of its own rows written.
 */
export const insertMessagesMerge: Merge = {
  sql: SQL,
  merge: (params) => {
    const rows = params.map(([param]) => (param as string).slice(1, -1)).filter((rows) => rows.length > 0);
    return { sql: SQL, params: [`[${rows.join(',')}]`] };
  },
  answer: (merged, params) => {
    const written = new Set((merged.results as { id: string }[]).map((r) => r.id));
    return params.map(([param]) => {
      const results = (JSON.parse(param as string) as unknown[][])
        .map((row) => String(row[ID]))
        .filter((id) => written.has(id))
        .map((id) => ({ id }));
      return {
        success: true,
        results,
        meta: { ...merged.meta, changes: results.length, rows_written: results.length },
      };
    });
  },
};
