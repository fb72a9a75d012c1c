/**
 * The simulator against the live system, on one day of events (test/helpers/day-of-orders.ts) run
 * once through the live workers (their own handlers, a controlled clock, a cron every minute):
 * - the simulation of that day gives the same messages, statuses, reasons, texts and send times,
 *   for every flow;
 * - a cutoff moved from 18:00 to 17:00 changes the reminders and nothing else;
 * - through the API and the simulator's RPC entrypoint, nothing live is written or queued.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorRpc } from '../../shared/simulation/rpc';
import { local } from '../../test/helpers/day-of-orders';
import { capturing, liveDay, rowsOf } from '../../test/helpers/simulation';
import { privateRowId } from './private-copy';
import { inTimeOrder, runSide, type SimulatorEnv } from './run';
import type { SimulationRun } from './run-object';

const simEnv = env as unknown as SimulatorEnv;
const runs = simEnv.SIMULATION_RUNS as DurableObjectNamespace<SimulationRun>;
const rpc = (exports as unknown as { Simulations: SimulatorRpc }).Simulations;
const sim = capturing(rpc);
let day: Awaited<ReturnType<typeof liveDay>>;

beforeAll(async () => {
  day = await liveDay(sim.rpc);
}, 180_000);
afterAll(() => day?.live.stop());

const ask = (body: Record<string, unknown>) =>
  day.live.fetch(local('20:05'), '/v1/simulations', day.json(day.shop.api_key, 'POST', body));
const window = { from: local('00:00').toISOString(), to: local('20:00').toISOString(), horizon_hours: 0 };

/**
 * Runs one side of the captured input inside a run's Durable Object, as the simulator does, and
 * returns its report and its message rows.
 */
async function side(which: 'baseline' | 'proposal') {
  const input = sim.inputs.at(-1)!;
  const name = `sim_test_${which}_${sim.inputs.length}`;
  const stub = runs.get(runs.idFromName(name));
  return runInDurableObject(stub, async (run: SimulationRun, state) => {
    let rows: Awaited<ReturnType<typeof rowsOf>> = [];
    const d1 = await run.prepareState();
    const report = await runSide(
      simEnv,
      d1,
      name,
      input,
      input[which]!,
      inTimeOrder(input.events),
      async () => {},
      async (shopId) => {
        rows = await rowsOf(d1, shopId, privateRowId(shopId, ''));
      },
    );
    await state.storage.deleteAll();
    return { report, rows };
  });
}

async function finished(id: string) {
  for (let i = 0; i < 600; i++) {
    const res = await day.live.fetch(local('20:06'), `/v1/simulations/${id}`, {
      headers: { authorization: `Bearer ${day.shop.api_key}` },
    });
    const run = (await res.json()) as { status: string; report: Record<string, any> | null; error: string | null };
    if (run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('simulation did not finish');
}

describe('simulator', () => {
  it('gives every flow the same messages, statuses, reasons and send times as the live workers', async () => {
    const asked = await ask(window);
    expect(asked.status).toBe(202);
    expect(sim.inputs.at(-1)!.events).toHaveLength(20);
    const liveRows = await rowsOf(env.DB, day.shop.shop_id);
    const { report, rows } = await side('baseline');

    // The day reached every flow and the outcomes worth comparing.
    const kinds = new Set(liveRows.map((r) => r.kind));
    const every = ['unpaid_reminder', 'thank_you', 'shipped', 'delivered', 'review_request', 'negative_review_care'];
    for (const kind of every) expect(kinds).toContain(kind);
    const reasons = new Set(liveRows.map((r) => r.reason));
    for (const reason of ['merged', 'duplicate_phone_today', 'expired', 'reviewed']) expect(reasons).toContain(reason);
    expect(day.live.retried).toEqual([]);

    expect(rows).toEqual(liveRows);
    expect(report.totals.sent).toBe(liveRows.filter((r) => r.status === 'delivered').length);
    expect(report.totals.planned).toBe(liveRows.length);
  }, 120_000);

  it('moving the cutoff from 18:00 to 17:00 changes the reminders and nothing else', async () => {
    const asked = await ask({ ...window, compare: true, overrides: { settings: { shipping_cutoff: '17:00' } } });
    expect(asked.status).toBe(202);
    const baseline = await side('baseline');
    const proposal = await side('proposal');
    const others = (rows: typeof baseline.rows) => rows.filter((r) => r.kind !== 'unpaid_reminder');
    const reminders = (rows: typeof baseline.rows) =>
      Object.fromEntries(rows.filter((r) => r.kind === 'unpaid_reminder').map((r) => [r.order, r]));
    expect(others(proposal.rows)).toEqual(others(baseline.rows));
    expect(others(baseline.rows)).toEqual(others(await rowsOf(env.DB, day.shop.shop_id)));

    const before = reminders(baseline.rows);
    const after = reminders(proposal.rows);
    // An hour earlier, to a send-by an hour earlier.
    expect(before['o-merge-1']).toMatchObject({ status: 'delivered', sentAt: local('17:00').toISOString() });
    expect(after['o-merge-1']).toMatchObject({
      status: 'delivered',
      sentAt: local('16:00').toISOString(),
      sendBy: local('17:00').toISOString(),
    });
    // Placed at 17:30: before the old cutoff, reminded at 17:40; after the new one, tomorrow.
    expect(before['o-late']).toMatchObject({ status: 'delivered', sentAt: local('17:40').toISOString() });
    expect(after['o-late']).toBeUndefined();
    // Night in New York either way: past the send-by, expired.
    expect(after['o-night']).toMatchObject({ status: 'skipped', reason: 'expired' });
    expect(after['o-merge-2']).toMatchObject({ status: 'skipped', reason: 'merged' });
    expect(baseline.report.reminders).toEqual({ before_cutoff: 3, after_cutoff: 0, expired: 1 });
    expect(proposal.report.reminders).toEqual({ before_cutoff: 2, after_cutoff: 0, expired: 1 });
  }, 120_000);

  it('runs through the API without writing a live row or queueing a live job', async () => {
    const tables = await env.DB.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'`,
    ).all<{ name: string }>();
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const { name } of tables.results)
        out[name] = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
      return out;
    };
    const before = await dump();
    expect(before.messages!.length).toBeGreaterThan(0);
    const sentBefore = Object.fromEntries(Object.entries(day.live.queues).map(([k, q]) => [k, q.sent.length]));

    const asked = await ask({ ...window, compare: true, overrides: { settings: { shipping_cutoff: '17:00' } } });
    expect(asked.status).toBe(202);
    const { id } = (await asked.json()) as { id: string };
    const run = await finished(id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('done');
    expect(run.report!.differences[0]).toEqual({
      metric: 'reminders.before_cutoff',
      baseline: 3,
      proposal: 2,
      text: '−1 reminders sent before the cutoff',
    });
    expect(run.report!.baseline.totals.sent).toBe(before.messages!.filter((m: any) => m.status === 'delivered').length);

    expect(await dump()).toEqual(before);
    expect(Object.fromEntries(Object.entries(day.live.queues).map(([k, q]) => [k, q.sent.length]))).toEqual(sentBefore);
    // Another shop's key does not see the run.
    const other = await day.live.fetch(
      local('20:06'),
      '/v1/shops',
      day.json('test-operator-token', 'POST', { name: 'other' }),
    );
    const otherKey = ((await other.json()) as { api_key: string }).api_key;
    const hidden = await day.live.fetch(local('20:06'), `/v1/simulations/${id}`, {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(hidden.status).toBe(404);
  }, 120_000);
});
