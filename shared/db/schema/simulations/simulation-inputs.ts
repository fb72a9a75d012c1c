/**
 * A queued simulation's input (the shop snapshot and its events) in slices of its JSON, until the
 * simulator's queue consumer takes it: an input of 50,000 events is far larger than a queue message
 * may be. Written and read only in the simulator's own database.
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const simulationInputs = sqliteTable(
  'simulation_inputs',
  {
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    chunk: text('chunk').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);
