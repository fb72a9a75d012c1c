/** The RPC contract between the gateway and a flow worker's `Runs` entrypoint. */
import type { MessageReason } from '../db/schema';

export type RunCounts = {
  claimed: number;
  planned: number;
  skipped: Partial<Record<MessageReason, number>>;
  /** D1 rows read by the due-timer scans, to compare with `claimed`. */
  rows_read: number;
  /** True when the pass stopped at its batch limit with more due: the next pass continues. */
  more: boolean;
};

/** What a flow worker's `Runs` entrypoint offers over its service binding. */
export type FlowRunner = {
  /** One pass now, for one shop: its waiting triggers, then its due timers. */
  run(shopId: string): Promise<RunCounts>;
  /** The shop's scheduling settings changed: recompute its armed timers; returns the orders moved. */
  reschedule?(shopId: string): Promise<number>;
};

/**
 * A flow's two live entry points as functions of the clock: what its queue consumer runs for one
 * trigger job, and what its minute cron runs (for every shop, or one). The worker's `queue` and
 * `scheduled` handlers call exactly these with the real time; the simulator calls them with its
 * virtual clock against its private database (workers/simulator).
 */
export type ClockedFlow<E> = {
  trigger(env: E, key: import('./timers').TimerKey, now: Date): Promise<{ status: string }>;
  tick(env: E, now: Date, shopId?: string): Promise<Record<string, unknown>>;
};
