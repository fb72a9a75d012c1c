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
