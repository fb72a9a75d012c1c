/**
 * The live code the simulator runs, in one exhaustive map: every flow's queue job and minute pass
 * (each worker's clocked.ts, the functions its own handlers call) and the dispatcher's job and due
 * scan. A flow added to the registry without an entry here fails to compile. The simulator reaches
 * into these workers' folders on purpose: replaying their real code is its whole job.
 */
import type { DispatchJob } from '../../shared/delivery/plan';
import type { Flow } from '../../shared/flows/names';
import type { ClockedFlow } from '../../shared/flows/runner';
import { enqueueDue } from '../dispatcher/due-scan';
import { processJob, type DispatcherEnv, type Outcome } from '../dispatcher/process';
import { clocked as reviewRequests } from '../review-requests/clocked';
import { clocked as shipmentFollowups } from '../shipment-followups/clocked';
import { clocked as thankYou } from '../thank-you/clocked';
import { clocked as unpaidReminders } from '../unpaid-reminders/clocked';
import { db } from '../../shared/db/client';

/**
 * Every binding any flow or the dispatcher reads, pointing at the simulator's own things: its
 * database, a recording queue, a throwaway link secret, and an email binding that refuses.
 */
export type SimEnv = {
  DB: D1Database;
  DISPATCH: Queue<DispatchJob>;
  /** The same recording queue as DISPATCH: a simulation replays both lanes in the order sent. */
  DISPATCH_SCHEDULED: Queue<DispatchJob>;
  PUBLIC_URL: string;
  ENCRYPTION_KEY: string;
  SEND_EMAIL: SendEmail;
};

/** The workers type their env from wrangler (literal vars); the simulator's env has every binding they read. */
const onSimEnv = <E>(flow: ClockedFlow<E>) => flow as unknown as ClockedFlow<SimEnv>;

export const simulatedFlows: Record<Flow, ClockedFlow<SimEnv>> = {
  'unpaid-reminders': onSimEnv(unpaidReminders),
  'thank-you': onSimEnv(thankYou),
  'shipment-followups': onSimEnv(shipmentFollowups),
  'review-requests': onSimEnv(reviewRequests),
};

/** No provider is ever called (every route is the recording channel); if one were, it fails here. */
const noNetwork = (() => Promise.reject(new Error('a simulation makes no network request'))) as typeof fetch;

export const dispatcher = {
  job: (env: SimEnv, job: DispatchJob, now: Date): Promise<Outcome> =>
    processJob(env as unknown as DispatcherEnv, job, now, noNetwork),
  dueScan: (env: SimEnv, now: Date, shopId: string) => enqueueDue(db(env.DB), env.DISPATCH, now, shopId),
};

/** The dispatch queue of a run: jobs wait here until the clock drains them at the time they were sent. */
export class RecordingQueue {
  readonly jobs: DispatchJob[] = [];
  async send(body: DispatchJob) {
    this.jobs.push(body);
  }
  async sendBatch(messages: Iterable<{ body: DispatchJob }>) {
    for (const m of messages) this.jobs.push(m.body);
  }
}

/** The email binding of a run: a simulation never sends, so any use is an error. */
export const refusingEmail = {
  send: () => Promise.reject(new Error('a simulation never sends email')),
} as unknown as SendEmail;
