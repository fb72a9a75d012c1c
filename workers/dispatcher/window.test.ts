/** The send window on its own: its bound, a batch's line for places, and the size a deployment sets. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEND_WINDOW, SendWindow, backlogAtMost, waitingLine, windowSize } from './window';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SendWindow', () => {
  it('gives at most its size of places, and takes back only what it gave', () => {
    const window = new SendWindow(2);
    expect([window.tryEnter(), window.tryEnter(), window.tryEnter()]).toEqual([true, true, false]);
    expect(window.inFlight).toBe(2);
    window.leave();
    expect(window.tryEnter()).toBe(true);
    window.leave();
    window.leave();
    expect(() => window.leave()).toThrow('left more places than were entered');
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new SendWindow(size)).toThrow('positive integer');
  });
});

describe('waitingLine', () => {
  it("grants a batch's jobs places at once while free, then in the order they asked as places come back", async () => {
    const window = new SendWindow(2);
    const place = waitingLine(window);
    const granted: string[] = [];
    const asks = ['a', 'b', 'c', 'd'].map((name) => place().then(() => granted.push(name)));
    await sleep(5);
    expect(granted).toEqual(['a', 'b']);

    window.leave();
    await sleep(10);
    expect(granted).toEqual(['a', 'b', 'c']);
    expect(window.inFlight).toBe(2);

    window.leave();
    await Promise.all(asks);
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    expect(window.inFlight).toBe(2);
  });

  it('two batches share one window: neither takes more than the places free', async () => {
    const window = new SendWindow(3);
    const [first, second] = [waitingLine(window), waitingLine(window)];
    let granted = 0;
    const asks = [first, first, second, second, second].map((place) => place().then(() => (granted += 1)));
    await sleep(5);
    expect(granted).toBe(3);
    window.leave();
    window.leave();
    await Promise.all(asks);
    expect(granted).toBe(5);
    expect(window.inFlight).toBe(3);
  });
});

describe('backlogAtMost', () => {
  it('counts the claimed jobs waiting in every line, and resolves once at most the limit wait', async () => {
    const window = new SendWindow(1);
    const [first, second] = [waitingLine(window), waitingLine(window)];
    const asks = [first(), second(), second()];
    await sleep(5);
    expect(window.waiting).toBe(2);
    let done = false;
    const backlog = backlogAtMost(window, 1).then(() => (done = true));
    await sleep(10);
    expect(done).toBe(false);
    window.leave();
    await backlog;
    expect(window.waiting).toBe(1);
    window.leave();
    await Promise.all(asks);
    expect(window.waiting).toBe(0);
    await backlogAtMost(window, 0);
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
