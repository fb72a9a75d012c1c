/**
 * The dispatcher's two lanes. `DISPATCH` (queue `orderbell-dispatch`) carries what an event just
 * caused: a trigger's notices and alerts, test sends, fallbacks. `DISPATCH_SCHEDULED` (queue
 * `orderbell-dispatch-scheduled`) carries what a clock put on the way: the flows' timed passes
 * (reminders, delivered care, review requests, stall checks), the due scan (deferred and rescheduled
 * messages) and their retries. A pass or the morning's end of quiet hours may put thousands of
 * messages on the way at once; on one lane a payment's thank-you would wait behind all of them.
 *
 * Both lanes run the same handler. A scheduled batch yields to the event lane before it claims:
 * it waits while an event batch is in the isolate's hands (until its handler returns, once few of
 * its jobs are still being prepared: ./window.ts) or was within `QUIET_MS`, for at most
 * `MAX_YIELD_MS`, so the scheduled lane always moves. The yield is per isolate: it orders the work
 * one isolate is given (locally every worker shares one thread), it does not hold back other isolates.
 */

export type Lane = 'event' | 'scheduled';

/** The scheduled lane's queue (wrangler.toml); every other queue the dispatcher consumes is the event lane. */
export const SCHEDULED_QUEUE = 'orderbell-dispatch-scheduled';

export const laneOf = (queue: string): Lane => (queue === SCHEDULED_QUEUE ? 'scheduled' : 'event');

/** How long the event lane must have been idle before a scheduled batch goes. */
export const QUIET_MS = 50;
/** The longest a scheduled batch yields. */
export const MAX_YIELD_MS = 2_000;
const POLL_MS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The lanes' clock: `performance.now()`, which a test's frozen `Date` leaves running. */
const clock = () => performance.now();

/** The event lane's batches in this isolate's hands, and when one last came or went. */
export class EventLane {
  active = 0;
  lastSeen = -Infinity;

  /** Runs an event batch's handler, counted as in hand until it returns. */
  async run<T>(handle: () => Promise<T>): Promise<T> {
    this.active += 1;
    this.lastSeen = clock();
    try {
      return await handle();
    } finally {
      this.active -= 1;
      this.lastSeen = clock();
    }
  }

  busy(now = clock()): boolean {
    return this.active > 0 || now - this.lastSeen < QUIET_MS;
  }

  /** Resolves when the event lane is idle, or after `maxMs`. */
  async yieldTo({ maxMs = MAX_YIELD_MS, pollMs = POLL_MS } = {}): Promise<void> {
    const start = clock();
    // Bounded by polls as well as by time, whatever the clock does.
    for (let polls = 0; this.busy() && clock() - start < maxMs && polls < maxMs / pollMs; polls++) await sleep(pollMs);
  }
}
