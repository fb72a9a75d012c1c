/**
 * The simulator worker. Its only bindings are its own database (`SIM_DB`) and its own queue of
 * runs: no live database, no dispatch or flow queue, no email. The gateway's `POST /v1/simulations` reads a snapshot of the
 * shop and hands it to `Simulations.start`, which parks it and queues the run on the simulator's
 * own queue; the consumer runs it, and `GET /v1/simulations/{id}` reads progress and report through
 * `Simulations.get`. Hourly,
 * runs older than 7 days are deleted, with any private copy a crashed run left behind.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { lt } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import type { SimulationInput } from '../../shared/simulation/input';
import { z } from 'zod';
import { consume } from '../../shared/flows/consumer';
import { parkInput } from './inputs';
import { deletePrivateCopy } from './private-copy';
import type { SimulatorEnv } from './run';

import { SimulationRun } from './run-object';

export { SimulationRun };
import type { RunView, SimulatorRpc } from '../../shared/simulation/rpc';
import { createRun, getRun, purgeRuns } from './runs';

/** No run takes a day: a private copy this old was left by a run that died. */
const ORPHAN_AGE_MS = 24 * 3_600_000;

export class Simulations extends WorkerEntrypoint<SimulatorEnv> implements SimulatorRpc {
  /** Records the run, parks its input and queues it; returns its id. */
  async start(input: SimulationInput): Promise<{ id: string }> {
    const d = db(this.env.SIM_DB);
    const id = await createRun(d, input.shopId, input.request, new Date());
    await parkInput(d, id, input);
    await this.env.SIMULATIONS.send({ id });
    return { id };
  }

  /** The run's progress and, once done, its report; null when unknown to this shop or expired. */
  async get(shopId: string, id: string): Promise<RunView | null> {
    return getRun(db(this.env.SIM_DB), shopId, id, new Date());
  }
}

export async function purge(env: SimulatorEnv, now: Date) {
  const d = db(env.SIM_DB);
  const runs = await purgeRuns(d, now);
  const orphans = await d
    .select({ id: shops.id })
    .from(shops)
    .where(lt(shops.createdAt, new Date(now.getTime() - ORPHAN_AGE_MS)));
  for (const { id } of orphans) await deletePrivateCopy(env.SIM_DB, id);
  return { runs, orphans: orphans.length };
}

const jobSchema = z.object({ id: z.string().min(1) });

export default {
  /** One run per message; a run is never retried (its run row says failed instead). */
  async queue(batch, env) {
    await consume(batch, jobSchema, 'simulation', async ({ id }) => {
      const runs = env.SIMULATION_RUNS as DurableObjectNamespace<SimulationRun>;
      await runs.get(runs.idFromName(id)).run(id);
    });
  },
  async scheduled(controller, env) {
    const result = await purge(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'simulator purge', ...result }));
  },
} satisfies ExportedHandler<SimulatorEnv, unknown>;
