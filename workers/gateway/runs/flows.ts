/** The flow workers the gateway calls over service bindings (`Runs` entrypoints). */
import type { Flow } from '../../../shared/flows/names';
import type { FlowRunner } from '../../../shared/flows/runner';

type Env = Cloudflare.GatewayEnv;

// The bindings' generated type is a plain Service; their entrypoints implement FlowRunner.
const runners: Partial<Record<Flow, (env: Env) => FlowRunner>> = {
  'unpaid-reminders': (env) => env.UNPAID_REMINDERS as unknown as FlowRunner,
  'shipment-followups': (env) => env.SHIPMENT_FOLLOWUPS as unknown as FlowRunner,
  'review-requests': (env) => env.REVIEW_REQUESTS as unknown as FlowRunner,
};

/** The flow's runner, or undefined while the flow has no worker with a pass. */
export const runnerFor = (env: Env, flow: Flow): FlowRunner | undefined =>
  Object.hasOwn(runners, flow) ? runners[flow]!(env) : undefined;

/** The flows whose timers follow the shop's scheduling settings (an RPC stub answers every method name). */
const scheduling: Flow[] = ['unpaid-reminders'];

/** Asks every flow that schedules from shop settings to recompute its timers; returns the orders moved. */
export async function rescheduleFlows(env: Env, shopId: string): Promise<number> {
  let moved = 0;
  for (const flow of scheduling) moved += (await runnerFor(env, flow)?.reschedule?.(shopId)) ?? 0;
  return moved;
}
