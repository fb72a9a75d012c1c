/** The RPC contract between the gateway and the simulator's `Simulations` entrypoint. */
import type { SimulationStatus } from '../db/schema';
import type { SimulationInput } from './input';

/** A run as the API shows it: progress, then the report (`report` stays opaque JSON here). */
export type RunView = {
  id: string;
  status: SimulationStatus;
  progress: number;
  phase: string;
  request: Record<string, unknown>;
  report: Record<string, unknown> | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  expires_at: string;
};

/**
 * `start` records the run, parks its input and queues it on the simulator's own queue, whose
 * consumer runs it: the caller gets the id at once, and a run is not bound to a request's lifetime.
 */
export type SimulatorRpc = {
  start(input: SimulationInput): Promise<{ id: string }>;
  get(shopId: string, id: string): Promise<RunView | null>;
};
