/**
 * Coalesced statements: concurrent callers share one D1 round trip and each gets its own results;
 * a statement that fails the combined batch fails only its own caller.
 */
import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedShop } from '../../test/helpers/seed';
import { db, type Db } from './client';
import { shops } from './schema';
import { coalescing, direct } from './coalesce';

/** A one-row read whose answer is `n`. */
const pick = (d: Db, shopId: string, n: number) =>
  d
    .select({ n: sql<number>`${n}`.as('n') })
    .from(shops)
    .where(eq(shops.id, shopId));

const counted = () => {
  const counts: Counted = { roundTrips: 0, statements: 0 };
  return { counts, d: db(countingD1(env.DB, counts)) };
};

describe('coalesced D1 statements', () => {
  it('runs what concurrent callers ask for in the same turn as one batch, and answers each its own rows', async () => {
    const shop = await seedShop();
    const { counts, d } = counted();
    const run = coalescing(d);
    const ask = (n: number) => run([pick(d, shop.id, n), pick(d, shop.id, n * 10)]);
    const answers = await Promise.all([ask(1), ask(2), ask(3)]);
    expect(answers).toEqual([
      [[{ n: 1 }], [{ n: 10 }]],
      [[{ n: 2 }], [{ n: 20 }]],
      [[{ n: 3 }], [{ n: 30 }]],
    ]);
    expect(counts).toEqual({ roundTrips: 1, statements: 6 });
    // A later turn is a batch of its own.
    expect(await ask(4)).toEqual([[{ n: 4 }], [{ n: 40 }]]);
    expect(counts.roundTrips).toBe(2);
  });

  it("with gatherMs, runs what is asked for within that time of a round's first statement as one batch", async () => {
    const shop = await seedShop();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const askApart = async (run: ReturnType<typeof coalescing>) => {
      const first = run([pick(d, shop.id, 1)]);
      await pause(5);
      const second = run([pick(d, shop.id, 2)]);
      return Promise.all([first, second]);
    };
    const { counts, d } = counted();
    expect(await askApart(coalescing(d, { gatherMs: 200 }))).toEqual([[[{ n: 1 }]], [[{ n: 2 }]]]);
    expect(counts).toEqual({ roundTrips: 1, statements: 2 });
    // Without it, a later turn is a round of its own.
    expect(await askApart(coalescing(d))).toEqual([[[{ n: 1 }]], [[{ n: 2 }]]]);
    expect(counts).toEqual({ roundTrips: 3, statements: 4 });
  });

  it('fails only the caller whose statement failed', async () => {
    const shop = await seedShop();
    const { counts, d } = counted();
    const run = coalescing(d);
    const failing = d
      .update(shops)
      .set({ name: sql`no_such_function()` })
      .where(eq(shops.id, shop.id));
    const [good, bad, other] = await Promise.allSettled([
      run([pick(d, shop.id, 1)]),
      run([failing]),
      run([pick(d, shop.id, 2)]),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: [[{ n: 1 }]] });
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toContain('no_such_function');
    expect(other).toEqual({ status: 'fulfilled', value: [[{ n: 2 }]] });
    // The combined batch, then each caller alone.
    expect(counts.roundTrips).toBe(4);
  });

  it('direct runs each call as its own batch', async () => {
    const shop = await seedShop();
    const { counts, d } = counted();
    const run = direct(d);
    await Promise.all([run([pick(d, shop.id, 1)]), run([pick(d, shop.id, 2)])]);
    expect(counts.roundTrips).toBe(2);
  });
});

describe('coalesced D1 statements of joined jobs', () => {
  it('sends a round once every running job waits for D1, however far apart they asked', async () => {
    const shop = await seedShop();
    const { counts, d } = counted();
    const coalescer = coalescing(d, { maxWaitMs: 5_000 });
    const jobs = [1, 2, 3].map(() => coalescer.participant());
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const answers = await Promise.all(
      jobs.map(async (job, i) => {
        await later(i * 30);
        const answer = await job.run([pick(d, shop.id, i)]);
        job.leave();
        return answer;
      }),
    );
    expect(answers).toEqual([[[{ n: 0 }]], [[{ n: 1 }]], [[{ n: 2 }]]]);
    expect(counts.roundTrips).toBe(1);
  });

  it('does not wait for a job that left, and waits at most maxWaitMs for one that is busy', async () => {
    const shop = await seedShop();
    const { counts, d } = counted();
    const coalescer = coalescing(d, { maxWaitMs: 40 });
    const [a, b, busy] = [coalescer.participant(), coalescer.participant(), coalescer.participant()];
    const first = a.run([pick(d, shop.id, 1)]);
    b.leave();
    const started = performance.now();
    expect(await first).toEqual([[{ n: 1 }]]);
    // `busy` never asked: the round went after maxWaitMs, alone.
    expect(performance.now() - started).toBeGreaterThanOrEqual(30);
    expect(counts.roundTrips).toBe(1);
    busy.leave();
    // With every other job gone, a job's call goes at once.
    expect(await a.run([pick(d, shop.id, 2)])).toEqual([[{ n: 2 }]]);
    expect(counts.roundTrips).toBe(2);
  });
});
