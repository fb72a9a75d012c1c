/**
 * Inserts many outbox rows in one raw statement: the rows travel as one JSON parameter (D1 binds at
 * most 100 parameters, a message has 30 columns) and `INSERT … SELECT … FROM json_each` spreads
 * them. Like `insertMessage`, a row whose business key exists is skipped (ON CONFLICT DO NOTHING),
 * and RETURNING names the rows written. Values go through each column's own drizzle mapping, and
 * a column a row leaves out takes its schema default, as a drizzle insert would.
 */
import { getTableColumns } from 'drizzle-orm';
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
