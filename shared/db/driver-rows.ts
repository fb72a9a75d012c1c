/**
 * Rows a raw D1 statement returned (`SELECT t.*`, snake_case column names), read as a drizzle select
 * of the table would read them: each column through its own mapping (JSON, booleans, timestamps).
 * For a pass that reads a table in a batch of raw statements (`claimDue`'s reads).
 */
import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

export function fromDriverRows<T extends Table>(table: T, rows: Record<string, unknown>[]): InferSelectModel<T>[] {
  const columns = Object.entries(getTableColumns(table));
  return rows.map(
    (row) =>
      Object.fromEntries(
        columns.map(([key, column]) => {
          const value = row[column.name];
          return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
        }),
      ) as InferSelectModel<T>,
  );
}
