/**
 * One simulation run: for the baseline (and the proposal, when there is one) write the private
 * copy into the run's own database, replay the events on the virtual clock, take the report, and delete the copy; then store
 * the reports side by side with their differences.
 */
import { eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import { toBase64 } from '../../shared/crypto/encoding';
import { randomBytes } from '../../shared/crypto/random';
import type { SimulationInput, Variant } from '../../shared/simulation/input';
import { replay } from './clock';
import { compareReports } from './compare';
import { RecordingQueue, refusingEmail, type SimEnv } from './flows';
import { deletePrivateCopy, writePrivateCopy } from './private-copy';
import { buildReport, type Report } from './report';
import { failRun, finishRun, setProgress } from './runs';

export type SimulatorEnv = Cloudflare.SimulatorEnv;
/**
 * Progress is written every this many clock steps. The write is also the run's chance to let the
 * worker serve other requests: a run's own queries are synchronous, so without it a long run would
 * hold the isolate's thread until its end.
 */
const PROGRESS_EVERY_STEPS = 200;

/** The private shop id of one side of a run. */
export const privateShopId = (runId: string, side: string) => `${runId}_${side}`;

/**
 * One side: the private copy, the replay, the report; the copy is deleted whatever happens.
 * `inspect` sees the private rows before they go (the equality tests compare them with live rows).
 */
export async function runSide(
  env: SimulatorEnv,
  state: D1Database,
  shopId: string,
  input: SimulationInput,
  variant: Variant,
  events: SimulationInput['events'],
  onProgress: (at: Date) => Promise<void>,
  inspect?: (shopId: string) => Promise<void>,
): Promise<Report> {
  const d = db(state);
  const queue = new RecordingQueue() as unknown as Queue;
  const simEnv: SimEnv = {
    DB: state,
    DISPATCH: queue,
    DISPATCH_SCHEDULED: queue,
    PUBLIC_URL: env.PUBLIC_URL,
    // A key of its own: links in rendered samples carry no token the gateway would accept.
    ENCRYPTION_KEY: toBase64(randomBytes(32)),
    SEND_EMAIL: refusingEmail,
  };
  await writePrivateCopy(d, shopId, input.state, variant, new Date());
  try {
    const recording = await replay(simEnv, shopId, events, input.window.until, onProgress);
    const shop = await d.query.shops.findFirst({ where: eq(shops.id, shopId) });
    const report = await buildReport(d, shop!, recording);
    if (inspect) await inspect(shopId);
    return report;
  } finally {
    await deletePrivateCopy(state, shopId);
  }
}

/** Sorted by timestamp; stable, so events with the same timestamp keep their recorded order. */
export const inTimeOrder = (events: SimulationInput['events']) =>
  [...events].sort((a, b) => Date.parse(a.body.timestamp) - Date.parse(b.body.timestamp));

/**
 * Runs every side of a run against `state` (the run's own Durable Object database) and stores the
 * report, or the error, on the run row in SIM_DB.
 */
export async function executeRun(
  env: SimulatorEnv,
  runId: string,
  input: SimulationInput,
  state: D1Database,
): Promise<void> {
  const d = db(env.SIM_DB);
  const sides: [string, Variant][] = input.proposal
    ? [
        ['baseline', input.baseline],
        ['proposal', input.proposal],
      ]
    : [['result', input.baseline]];
  const events = inTimeOrder(input.events);
  const { from, until } = input.window;
  const span = Math.max(1, until.getTime() - from.getTime());
  const reports: Record<string, Report> = {};
  let steps = 0;
  try {
    for (const [index, [side, variant]] of sides.entries()) {
      reports[side] = await runSide(env, state, privateShopId(runId, side), input, variant, events, async (at) => {
        if (++steps % PROGRESS_EVERY_STEPS !== 0) return;
        const done = (index + Math.min(1, Math.max(0, (at.getTime() - from.getTime()) / span))) / sides.length;
        await setProgress(d, runId, done, `${side} ${at.toISOString()}`);
        // A timer turn, so requests waiting on this isolate (a GET of this run's progress) are served.
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
    }
    const window = { from: from.toISOString(), to: input.window.to.toISOString(), until: until.toISOString() };
    const report = reports.proposal
      ? {
          window,
          baseline: reports.baseline,
          proposal: reports.proposal,
          differences: compareReports(reports.baseline!, reports.proposal),
        }
      : { window, result: reports.result };
    await finishRun(d, runId, report, new Date());
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'simulation failed', runId, error: String(error) }));
    await failRun(d, runId, String(error), new Date());
  }
}
