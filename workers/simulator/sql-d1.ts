/**
 * The D1 interface over a Durable Object's own SQLite (`ctx.storage.sql`), for a run's private
 * state: the flow code and drizzle's D1 driver run unchanged, while every query is an in-process
 * call instead of a round trip to a database. `batch` is one synchronous transaction, as a D1 batch
 * is one transaction; results carry D1's shape (`results`, `meta.rows_read`, `meta.changes`).
 * Only what orderbell's code calls is implemented; the rest throws.
 */
type Value = string | number | null | ArrayBuffer;

function bindable(value: unknown): Value {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) throw new TypeError('D1_TYPE_ERROR: undefined is not a bindable value');
  if (value instanceof Uint8Array) return value.slice().buffer;
  return value as Value;
}

class SqlStatement {
  constructor(
    private readonly sql: SqlStorage,
    private readonly query: string,
    private readonly values: Value[] = [],
  ) {}

  bind(...values: unknown[]): SqlStatement {
    return new SqlStatement(this.sql, this.query, values.map(bindable));
  }

  /** Runs now, inside whatever transaction is open. */
  exec<T>(): D1Result<T> {
    const cursor = this.sql.exec(this.query, ...this.values);
    const results = cursor.toArray() as T[];
    return {
      success: true,
      results,
      meta: {
        duration: 0,
        size_after: 0,
        rows_read: cursor.rowsRead,
        rows_written: cursor.rowsWritten,
        changes: cursor.rowsWritten,
        last_row_id: 0,
        changed_db: cursor.rowsWritten > 0,
      },
    };
  }

  async all<T>(): Promise<D1Result<T>> {
    return this.exec<T>();
  }

  async run<T>(): Promise<D1Result<T>> {
    return this.exec<T>();
  }

  async first<T>(column?: string): Promise<T | null> {
    const [row] = this.exec<Record<string, unknown>>().results;
    if (!row) return null;
    return (column === undefined ? row : (row[column] ?? null)) as T;
  }

  async raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    const cursor = this.sql.exec(this.query, ...this.values);
    const rows = [...cursor.raw()] as T[];
    return options?.columnNames ? ([cursor.columnNames as T, ...rows] as T[]) : rows;
  }
}

export function sqlD1(storage: DurableObjectStorage): D1Database {
  const sql = storage.sql;
  const unsupported = (what: string) => () => {
    throw new Error(`${what} is not available on a simulation's database`);
  };
  return {
    prepare: (query: string) => new SqlStatement(sql, query),
    batch: async <T>(statements: SqlStatement[]) => storage.transactionSync(() => statements.map((s) => s.exec<T>())),
    exec: async (query: string) => {
      sql.exec(query);
      return { count: 1, duration: 0 };
    },
    dump: unsupported('dump'),
    withSession: unsupported('withSession'),
  } as unknown as D1Database;
}
