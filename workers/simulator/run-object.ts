/**
 * One Durable Object per run, holding the run's private state in its own SQLite storage: the
 * schema is copied from the simulator's database (migrated like every other), the flows run
 * against it through the D1 interface (./sql-d1.ts), and everything is deleted when the run ends.
 * Queries are in-process calls, which is what makes a day of 10,000 orders replay in seconds.
 */
import { DurableObject } from 'cloudflare:workers';
import { takeInput } from './inputs';
import { executeRun, type SimulatorEnv } from './run';
import { sqlD1 } from './sql-d1';
import { db } from '../../shared/db/client';

/** Tables only the simulator's own bookkeeping uses, not part of a shop's state. */
const NOT_STATE = ['simulations', 'simulation_inputs'];

/** The migrated schema of SIM_DB (tables, then indexes), to replay into a run's storage. */
export async function stateSchema(simDb: D1Database): Promise<string[]> {
  const rows = await simDb
    .prepare(
      `SELECT sql FROM sqlite_master
       WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'
         AND tbl_name NOT IN (SELECT value FROM json_each(?1))
       ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid`,
    )
    .bind(JSON.stringify(NOT_STATE))
    .all<{ sql: string }>();
  return rows.results.map((r) => r.sql);
}

export class SimulationRun extends DurableObject<SimulatorEnv> {
  /** The run's private database, with the schema in place. */
  async prepareState(): Promise<D1Database> {
    const sql = this.ctx.storage.sql;
    for (const statement of await stateSchema(this.env.SIM_DB)) sql.exec(statement);
    return sqlD1(this.ctx.storage);
  }

  /** Takes the parked input and runs it; the storage is emptied whatever happens. */
  async run(id: string): Promise<void> {
    try {
      const input = await takeInput(db(this.env.SIM_DB), id);
      if (input) await executeRun(this.env, id, input, await this.prepareState());
    } finally {
      await this.ctx.storage.deleteAll();
    }
  }
}
