/**
 * Simulation runs (workers/simulator): progress, then the report. Written only in the simulator's
 * own database (`SIM_DB`); the table exists in every database because they share one migration
 * set, and stays empty in the live one. Kept 7 days. `shop_id` is the live shop that asked, and
 * has no foreign key: that shop's row lives in the live database.
 */
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const simulationStatuses = ['running', 'done', 'failed'] as const;
export type SimulationStatus = (typeof simulationStatuses)[number];

export const simulations = sqliteTable(
  'simulations',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    status: text('status', { enum: simulationStatuses }).notNull(),
    /** 0..1 over every variant's virtual time. */
    progress: real('progress').notNull().default(0),
    /** What is running now, e.g. `baseline 14:05`. */
    phase: text('phase').notNull().default(''),
    /** The window, overrides and counts the run was asked for (no event bodies). */
    request: text('request', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    report: text('report', { mode: 'json' }).$type<Record<string, unknown>>(),
    error: text('error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('simulations_shop_idx').on(t.shopId, t.createdAt), index('simulations_expiry_idx').on(t.expiresAt)],
);
export type Simulation = typeof simulations.$inferSelect;
