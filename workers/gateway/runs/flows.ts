/** The flow workers the gateway calls over service bindings (`Runs` entrypoints). */
import type { FlowRunner } from '../../../shared/flows/runner';

// The bindings' generated type is a plain Service; their entrypoints implement FlowRunner.
export const unpaidReminders = (env: Cloudflare.GatewayEnv) => env.UNPAID_REMINDERS as unknown as FlowRunner;

/** Asks the flows that schedule from shop settings to recompute their timers; returns the orders moved. */
export async function rescheduleFlows(env: Cloudflare.GatewayEnv, shopId: string): Promise<number> {
  return (await unpaidReminders(env).reschedule?.(shopId)) ?? 0;
}
