/**
 * The simulator against the live system: the same day of events through the live workers (their
 * own handlers, a controlled clock, a cron every minute) and through the simulator (the same flow
 * code on its virtual clock, in its own database) gives the same messages, with the same statuses,
 * reasons, texts and send times, for every flow.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { local } from '../../test/helpers/day-of-orders';
import type { LiveClock } from '../../test/helpers/live-clock';
import { capturing, liveDay, rowsOf } from '../../test/helpers/simulation';
import { privateRowId } from './private-copy';
import { inTimeOrder, runSide, type SimulatorEnv } from './run';

const simEnv = env as unknown as SimulatorEnv;
let live: LiveClock | undefined;
afterEach(() => live?.stop());

describe('simulator equals live', () => {
  it('gives every flow the same messages, statuses, reasons and send times as the live workers', async () => {
    const sim = capturing();
    const day = await liveDay(sim.rpc);
    live = day.live;
    const asked = await live.fetch(
      local('20:05'),
      '/v1/simulations',
      day.json(day.shop.api_key, 'POST', {
        from: local('00:00').toISOString(),
        to: local('20:00').toISOString(),
        horizon_hours: 0,
      }),
    );
    expect(asked.status).toBe(202);
    const input = sim.inputs[0]!;
    expect(input.events).toHaveLength(20);

    const liveRows = await rowsOf(env.DB, day.shop.shop_id);
    let simRows: Awaited<ReturnType<typeof rowsOf>> = [];
    const report = await runSide(
      simEnv,
      'sim_eq_result',
      input,
      input.baseline,
      inTimeOrder(input.events),
      async () => {},
      async (shopId) => {
        simRows = await rowsOf(env.SIM_DB!, shopId, privateRowId(shopId, ''));
      },
    );

    // The day reached every flow and the outcomes worth comparing.
    const kinds = new Set(liveRows.map((r) => r.kind));
    const every = ['unpaid_reminder', 'thank_you', 'shipped', 'delivered', 'review_request', 'negative_review_care'];
    for (const kind of every) {
      expect(kinds).toContain(kind);
    }
    const reasons = new Set(liveRows.map((r) => r.reason));
    for (const reason of ['merged', 'duplicate_phone_today', 'expired']) expect(reasons).toContain(reason);
    expect(live.retried).toEqual([]);

    expect(simRows).toEqual(liveRows);
    expect(report.totals.sent).toBe(liveRows.filter((r) => r.status === 'sent' || r.status === 'delivered').length);
    // The private copy is gone with the run.
    const left = await env.SIM_DB!.prepare('SELECT count(*) AS n FROM messages').first<{ n: number }>();
    expect(left?.n).toBe(0);
  }, 180_000);
});
