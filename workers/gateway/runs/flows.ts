/** The flow workers the gateway calls over service bindings (`Runs` entrypoints). */
import type { Flow } from '../../../shared/flows/names';
import type { FlowRunner } from '../../../shared/flows/runner';

type Env = Cloudflare.GatewayEnv;

// The bindings' generated type is a plain Service; their entrypoints implement FlowRunner.
const runners: Partial<Record<Flow, (env: Env) => FlowRunner>> = {
  'unpaid-reminders': (env) => env.UNPAID_REMINDERS as unknown as FlowRunner,
};

/** The flow's runner, or undefined while the flow has no worker with a pass. */
export const runnerFor = (env: Env, flow: Flow): FlowRunner | undefined =>
  Object.hasOwn(runners, flow) ? runners[flow]!(env) : undefined;

/** Asks every flow that schedules from shop settings to recompute its timers; returns the orders moved. */
export async function rescheduleFlows(env: Env, shopId: string): Promise<number> {
  let moved = 0;
  for (const runner of Object.values(runners)) moved += (await runner(env).reschedule?.(shopId)) ?? 0;
  return moved;
}
