/** The send window on its own: its bound, a batch's line for places, and the size a deployment sets. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEND_WINDOW, SendWindow, backlogAtMost, waitingLine, windowSize, type Place } from './window';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SendWindow', () => {
  it('gives at most its size of places, and takes back only what it gave', () => {
    const window = new SendWindow(2);
    const [a, b, c] = [window.tryEnter(), window.tryEnter(), window.tryEnter()];
    expect([a?.state, b?.state, c]).toEqual(['held', 'held', undefined]);
    expect(window.inFlight).toBe(2);
    window.leave(a!);
    const d = window.tryEnter();
    expect(d?.state).toBe('held');
    window.leave(b!);
    window.leave(d!);
    expect(window.inFlight).toBe(0);
    expect(() => window.leave(d!)).toThrow('this place was already given back');
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new SendWindow(size)).toThrow('positive integer');
  });

  it('takes back a place held past maxHoldMs (a send torn down mid-call), and only then', () => {
    const window = new SendWindow(1, 1_000);
    const stuck = window.tryEnter(0)!;
    expect(window.tryEnter(1_000)).toBeUndefined();
    const next = window.tryEnter(1_001);
    expect(next?.state).toBe('held');
    expect(stuck.state).toBe('expired');
    expect(window.inFlight).toBe(1);
    // The torn-down send's late leave does not free the place its successor holds.
    window.leave(stuck);
    expect(window.inFlight).toBe(1);
    expect(window.tryEnter(1_002)).toBeUndefined();
    window.leave(next!);
    expect(window.inFlight).toBe(0);
  });

  it('takes back only the places past their time, oldest first', () => {
    const window = new SendWindow(2, 1_000);
    const old = window.tryEnter(0)!;
    const young = window.tryEnter(900)!;
    expect(window.tryEnter(1_500)).toBeDefined();
    expect([old.state, young.state]).toEqual(['expired', 'held']);
    expect(window.tryEnter(1_600)).toBeUndefined();
  });
});

describe('waitingLine', () => {
  it("grants a batch's jobs places at once while free, then in the order they asked as places come back", async () => {
    const window = new SendWindow(2);
    const place = waitingLine(window);
    const granted: string[] = [];
    const held: Place[] = [];
    const asks = ['a', 'b', 'c', 'd'].map((name) =>
      place().then((p) => {
        granted.push(name);
        held.push(p);
      }),
    );
    await sleep(5);
    expect(granted).toEqual(['a', 'b']);

    window.leave(held[0]!);
    await sleep(10);
    expect(granted).toEqual(['a', 'b', 'c']);
    expect(window.inFlight).toBe(2);

    window.leave(held[1]!);
    await Promise.all(asks);
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    expect(window.inFlight).toBe(2);
  });

  it('two batches share one window: neither takes more than the places free', async () => {
    const window = new SendWindow(3);
    const [first, second] = [waitingLine(window), waitingLine(window)];
    const held: Place[] = [];
    const asks = [first, first, second, second, second].map((place) => place().then((p) => held.push(p)));
    await sleep(5);
    expect(held.length).toBe(3);
    window.leave(held[0]!);
    window.leave(held[1]!);
    await Promise.all(asks);
    expect(held.length).toBe(5);
    expect(window.inFlight).toBe(3);
  });
});

describe('waitingLine.serve', () => {
  // Timers slow enough that only `serve` can grant a place within the few milliseconds looked at.
  const SLOW_POLL_MS = 500;

  it("hands a place given back straight to the batch's next job, without waiting for its timer", async () => {
    const window = new SendWindow(1);
    const line = waitingLine(window, SLOW_POLL_MS);
    const held: Place[] = [];
    const asks = [line(), line()].map((ask) => ask.then((p) => held.push(p)));
    await sleep(5);
    expect(held).toHaveLength(1);
    window.leave(held[0]!);
    line.serve();
    await sleep(5);
    expect(held).toHaveLength(2);
    expect(window.waiting).toBe(0);
    await Promise.all(asks);
  });

  it('leaves the place to the timers while another batch waits too', async () => {
    const window = new SendWindow(1);
    const [first, second] = [waitingLine(window, SLOW_POLL_MS), waitingLine(window, SLOW_POLL_MS)];
    const [a, b, c] = [first(), first(), second()];
    window.leave(await a);
    first.serve();
    await sleep(5);
    expect(window.inFlight).toBe(0);
    expect(window.waiting).toBe(2);
    // A timer shares it out: one of the two waiting gets it.
    const next = await Promise.race([b, c]);
    expect(window.waiting).toBe(1);
    window.leave(next);
    await Promise.all([b, c]);
  });
});

describe('backlogAtMost', () => {
  it('counts the claimed jobs waiting in every line, and resolves once at most the limit wait', async () => {
    const window = new SendWindow(1);
    const [first, second] = [waitingLine(window), waitingLine(window)];
    const held: Place[] = [];
    const asks = [first(), second(), second()].map((ask) => ask.then((p) => held.push(p)));
    await sleep(5);
    expect(window.waiting).toBe(2);
    let done = false;
    const backlog = backlogAtMost(window, 1).then(() => (done = true));
    await sleep(10);
    expect(done).toBe(false);
    window.leave(held[0]!);
    await backlog;
    expect(window.waiting).toBe(1);
    await sleep(10);
    window.leave(held[1]!);
    await Promise.all(asks);
    expect(window.waiting).toBe(0);
    await backlogAtMost(window, 0);
  });
});

describe('backlogAtMost, with jobs preparing', () => {
  it('counts claimed jobs still preparing (verdict or provider note pending) with those waiting for a place', async () => {
    const window = new SendWindow(1);
    window.preparing = 2;
    let done = false;
    const backlog = backlogAtMost(window, 1).then(() => (done = true));
    await sleep(10);
    expect(done).toBe(false);
    window.preparing -= 1;
    await backlog;
    expect(done).toBe(true);
  });
});

describe('backlogAtMost, bounded', () => {
  it('stops waiting after maxWaitMs when a count was left behind', async () => {
    const window = new SendWindow(1);
    window.waiting = 5;
    const started = Date.now();
    await backlogAtMost(window, 0, { maxWaitMs: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(window.waiting).toBe(5);
  });
});

describe('windowSize', () => {
  it.each([
    [undefined, DEFAULT_SEND_WINDOW],
    ['', DEFAULT_SEND_WINDOW],
    ['1', 1],
    ['30', 30],
    ['1000', 1000],
  ])('SEND_WINDOW %j is %d', (value, size) => {
    expect(windowSize(value)).toBe(size);
  });

  it.each(['0', '-3', '2.5', 'ten', '1001', ' '])('SEND_WINDOW %j is refused with a clear error', (value) => {
    expect(() => windowSize(value)).toThrow(
      `SEND_WINDOW must be a whole number from 1 to 1000, not ${JSON.stringify(value)}`,
    );
  });
});
