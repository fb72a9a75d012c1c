/**
 * The dispatcher's send window: how many provider calls one isolate keeps in flight, across queue
 * batches.
 *
 * A queue batch's jobs are claimed first (their rows `sending` under a lease) and acked; each cleared
 * to send writes its provider note, then waits here for a place, and calls (./index.ts). The batch returns while the window is still full,
 * once few enough claimed jobs wait (`backlogAtMost`), so the next batch is claimed while sends are
 * in flight: the claims' round trips overlap the provider's answers instead of adding to them, and
 * a place that frees finds a claimed job ready. A send holds its place until the providers answered,
 * and never longer than `MAX_HOLD_MS`.
 */

/** A place in the window, held by one send until it gives it back (or it expires). */
export type Place = { readonly at: number; state: 'held' | 'left' | 'expired' };

/**
 * The longest a send holds its place: four times the 15 s provider timeout, room for a send that
 * falls back through several providers. A place held longer belongs to a send whose `waitUntil` was
 * torn down mid-call and will never give it back; the window takes it back rather than stay a place
 * smaller until the isolate is recycled. A live send that outlasts it only lets one more in.
 */
export const MAX_HOLD_MS = 60_000;

export class SendWindow {
  /** In the order entered, so the oldest come first. */
  #held = new Set<Place>();
  /** Claimed jobs waiting for a place, in every batch's line. */
  waiting = 0;
  /**
   * Claimed jobs not yet in a line or ended: the send-time policy deciding, or the provider note of a
   * job cleared to send on its way to D1. Each may still join a line.
   */
  preparing = 0;

  constructor(
    readonly size: number,
    readonly maxHoldMs = MAX_HOLD_MS,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`send window: size must be a positive integer, not ${size}`);
  }

  get inFlight(): number {
    return this.#held.size;
  }

  /** Takes a place if one is free (after taking back places held past `maxHoldMs`). */
  tryEnter(now = Date.now()): Place | undefined {
    if (this.#held.size >= this.size) this.#expire(now);
    if (this.#held.size >= this.size) return undefined;
    const place: Place = { at: now, state: 'held' };
    this.#held.add(place);
    return place;
  }

  /** Gives a place back; an expired place was already taken back. */
  leave(place: Place): void {
    if (place.state === 'left') throw new Error('send window: this place was already given back');
    if (place.state === 'held') this.#held.delete(place);
    place.state = 'left';
  }

  #expire(now: number): void {
    for (const place of this.#held) {
      const heldMs = now - place.at;
      if (heldMs <= this.maxHoldMs) return;
      this.#held.delete(place);
      place.state = 'expired';
      console.warn(JSON.stringify({ level: 'warn', msg: 'send window: took back a place held too long', heldMs }));
    }
  }
}

/** How often a waiting batch looks for a free place. */
export const POLL_MS = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue batch's line: ask for a place; `serve` grants free places to the line's first jobs. */
export type WaitingLine = (() => Promise<Place>) & { serve(): void };

/**
 * One queue batch's line for places in the window: its jobs are granted places in the order they
 * asked. The batch looks for free places on its own timer rather than being woken by the send that
 * leaves: that send may run in another batch's request, and workerd cancels continuations of a
 * promise resolved from another request's context. A send of the same batch may call `serve` as it
 * leaves (the same request), so its place goes straight to the next job when this line is the only
 * one waiting; with other lines waiting, the timers share it out.
 */
export function waitingLine(window: SendWindow, pollMs = POLL_MS): WaitingLine {
  const line: ((place: Place) => void)[] = [];
  let polling = false;
  const grant = () => {
    while (line.length > 0) {
      const place = window.tryEnter();
      if (!place) return;
      window.waiting -= 1;
      line.shift()!(place);
    }
  };
  const poll = async () => {
    polling = true;
    while (line.length > 0) {
      await sleep(pollMs);
      grant();
    }
    polling = false;
  };
  const ask = () =>
    new Promise<Place>((resolve) => {
      line.push(resolve);
      window.waiting += 1;
      grant();
      if (line.length > 0 && !polling) void poll();
    });
  return Object.assign(ask, {
    serve() {
      if (line.length > 0 && window.waiting === line.length) grant();
    },
  });
}

/**
 * The longest a batch waits for the backlog: twice the 15 s provider timeout. A wait that long means
 * a count was left behind (a batch's `waitUntil` torn down with jobs in its line), and the queue
 * must not stop behind it.
 */
export const MAX_BACKLOG_WAIT_MS = 30_000;

/**
 * Resolves once at most `limit` claimed jobs wait for places or are still preparing: a queue
 * batch returns then, so the next batch is claimed while the window is still full, and claimed jobs
 * never pile up beyond it.
 */
export async function backlogAtMost(
  window: SendWindow,
  limit: number,
  { pollMs = POLL_MS, maxWaitMs = MAX_BACKLOG_WAIT_MS } = {},
): Promise<void> {
  const until = Date.now() + maxWaitMs;
  while (window.waiting + window.preparing > limit && Date.now() < until) await sleep(pollMs);
}

/** Sends in flight per isolate unless `SEND_WINDOW` says otherwise (wrangler.toml, [env.dispatcher.vars]). */
export const DEFAULT_SEND_WINDOW = 50;

/** The window size a deployment asks for: a positive integer, else a clear error at the first batch. */
export function windowSize(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SEND_WINDOW;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`SEND_WINDOW must be a whole number from 1 to 1000, not ${JSON.stringify(value)}`);
  }
  return size;
}
