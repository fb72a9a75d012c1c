/**
 * Figure 7, simulation speed (issue 18 item 6): a day of N unpaid orders (10,000; `--quick` 1,000)
 * replayed by the simulator, against the live reminder pass over the same due work, on one
 * Miniflare running every worker of wrangler.toml with its queue consumers (the simulator's runs
 * come off its own queue).
 *
 * Simulation: the N `order.created` events of 2026-11-11 (Asia/Shanghai), 00:00-16:00 local so
 * every order's cutoff reminder falls due at 17:00 that day, uploaded as NDJSON to
 * `POST /v1/simulations` (horizon 24 h); Node wall time from the POST to `status: done` (polled
 * every 100 ms). Its work: N intakes, N triggers, N reminders planned and dispatched.
 *
 * Live: the same N orders and buyers seeded into the live D1 (state created, reminder timer due a
 * minute ago, as figure 2 seeds them), then `POST /v1/runs/unpaid-reminders` until a pass says no
 * more (a pass takes at most 2,000), then until the dispatcher has delivered every reminder; Node
 * wall time over both. Its work: N reminders planned and dispatched (no intake).
 *
 * Target: simulation time ÷ live time ≤ 2; and the simulation of 10,000 orders under 60 s.
 */
import { createShop, startGateway, type BenchD1, type Gateway } from './lib/gateway.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';
import { chunked, insertAll, ROWS_PER_INSERT, sleep } from './lib/seed.ts';

export const SIMULATION_TARGETS = { ratioMax: 2, tenThousandMaxMs: 60_000 } as const;

const DAY_START = Date.parse('2026-11-11T00:00:00+08:00');
const SPAN_MS = 16 * 3_600_000;
const ITEMS = [{ title: '明前西湖龙井 250g', quantity: 1, unit_price: '258.00' }];

const phone = (i: number) => `+86138${String(i).padStart(8, '0')}`;
const placedAt = (i: number, n: number) => DAY_START + Math.floor((i * SPAN_MS) / n);

function dayOfOrders(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(placedAt(i, n)).toISOString();
    lines.push(
      JSON.stringify({
        type: 'order.created',
        timestamp: at,
        data: {
          order_id: `sim-${i}`,
          created_at: at,
          currency: 'CNY',
          total: '258.00',
          items: ITEMS,
          buyer: { id: `buyer-${i}`, name: '王小明', phone: phone(i), locale: 'zh-CN' },
        },
      }),
    );
  }
  return lines.join('\n');
}

async function simulate(gateway: Gateway, apiKey: string, events: string, label: string) {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const t0 = performance.now();
  const started = await fetch(new URL('/v1/simulations', gateway.url), {
    method: 'POST',
    headers,
    body: JSON.stringify({ events, horizon_hours: 24 }),
  });
  if (started.status !== 202)
    throw new Error(`POST /v1/simulations answered ${started.status}: ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  for (;;) {
    const res = await fetch(new URL(`/v1/simulations/${id}`, gateway.url), { headers });
    const run = (await res.json()) as { status: string; progress: number; report: any; error: string | null };
    if (run.status === 'failed') throw new Error(`the simulation failed: ${run.error}`);
    if (run.status === 'done') return { ms: performance.now() - t0, report: run.report.result };
    progress.update(label, `${Math.round(run.progress * 100)}%`);
    await sleep(100);
  }
}

async function seedLive(d1: BenchD1, shopId: string, n: number) {
  const now = Date.now();
  const customers = Array.from(
    { length: n },
    (_, i) => `('${shopId}','buyer-${i}','王小明','${phone(i)}','zh-CN',${now},${now},${now})`,
  );
  const items = JSON.stringify(ITEMS);
  const placed = now - 3_600_000;
  const orders = Array.from(
    { length: n },
    (_, i) =>
      `('${shopId}','sim-${i}','buyer-${i}','created',0,${placed},'bench','CNY','258.00','${items}',${placed},${placed},${placed})`,
  );
  const timers = Array.from(
    { length: n },
    (_, i) => `('${shopId}','unpaid-reminders','sim-${i}','reminder',${now - 60_000},${placed},${placed})`,
  );
  await insertAll(
    d1,
    [
      ...chunked(customers, ROWS_PER_INSERT).map(
        (c) =>
          `INSERT INTO customers (shop_id, id, name, phone, locale, details_at, created_at, updated_at) VALUES ${c.join(',')}`,
      ),
      ...chunked(orders, ROWS_PER_INSERT).map(
        (c) =>
          `INSERT INTO orders (shop_id, id, buyer_id, state, state_rank, state_at, state_event_id, currency, total, items, placed_at, created_at, updated_at) VALUES ${c.join(',')}`,
      ),
      ...chunked(timers, ROWS_PER_INSERT).map(
        (c) =>
          `INSERT INTO flow_timers (shop_id, flow, order_id, step, due_at, created_at, updated_at) VALUES ${c.join(',')}`,
      ),
    ],
    () => {},
  );
}

async function live(gateway: Gateway, d1: BenchD1, shopId: string, apiKey: string, n: number, label: string) {
  const t0 = performance.now();
  let planned = 0;
  for (let pass = 0; pass < 20; pass++) {
    const res = await fetch(new URL('/v1/runs/unpaid-reminders', gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (res.status !== 200) throw new Error(`POST /v1/runs/unpaid-reminders answered ${res.status}`);
    const counts = (await res.json()) as { planned: number; more: boolean };
    planned += counts.planned;
    progress.update(label, `pass ${pass + 1}: ${planned} planned`);
    if (!counts.more) break;
  }
  const passMs = performance.now() - t0;
  for (let i = 0; i < 6000; i++) {
    const row = await d1
      .prepare(`SELECT count(*) AS n FROM messages WHERE shop_id = ? AND status IN ('sent', 'delivered')`)
      .bind(shopId)
      .first<{ n: number }>();
    if ((row?.n ?? 0) >= n) break;
    progress.update(label, `dispatching: ${row?.n ?? 0}/${n} delivered`);
    await sleep(100);
  }
  return { planned, passMs, ms: performance.now() - t0 };
}

export async function benchSimulation({ quick }: { quick: boolean }): Promise<FigureResult> {
  const n = quick ? 1_000 : 10_000;
  const method = {
    runtime:
      'workerd via the Miniflare API: every worker of wrangler.toml with queue consumers; cron triggers not fired',
    orders: `${n.toLocaleString('en-US')} unpaid orders placed 00:00-16:00 on 2026-11-11 (Asia/Shanghai), one buyer and phone each`,
    simulation: 'order.created NDJSON uploaded to POST /v1/simulations (horizon 24 h); wall time from the POST to done',
    live: 'the same orders seeded with reminder timers due; POST /v1/runs/unpaid-reminders until no more, then until every reminder is delivered; wall time',
  };
  progress.update('simulation', 'bundling the workers and migrating fresh databases');
  const gateway = await startGateway({ quietWorkerLogs: true, queueConsumers: true });
  let sim: Awaited<ReturnType<typeof simulate>>;
  let liveRun: Awaited<ReturnType<typeof live>>;
  try {
    const { shopId, apiKey } = await createShop(gateway);
    const d1 = await gateway.db();
    await simulate(gateway, apiKey, dayOfOrders(20), 'simulation: warm-up');
    sim = await simulate(gateway, apiKey, dayOfOrders(n), `simulation: ${n} orders`);
    progress.update('simulation', 'seeding the live shop');
    // The live pass runs now: quiet hours of one minute, twelve hours away, so nothing waits for morning.
    const away = (new Date().getUTCHours() + 8 + 12) % 24;
    const quiet_hours = { start: `${String(away).padStart(2, '0')}:00`, end: `${String(away).padStart(2, '0')}:01` };
    const patched = await fetch(new URL('/v1/shop', gateway.url), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ quiet_hours }),
    });
    if (patched.status !== 200) throw new Error(`PATCH /v1/shop answered ${patched.status}`);
    await seedLive(d1, shopId, n);
    liveRun = await live(gateway, d1, shopId, apiKey, n, `simulation: live pass over ${n}`);
  } finally {
    progress.clear();
    await gateway.stop();
  }
  const sent = sim.report.messages.find((m: { kind: string }) => m.kind === 'unpaid_reminder')?.sent ?? 0;
  const notes: string[] = [];
  if (sent !== n) notes.push(`the simulation sent ${sent} reminders of ${n}`);
  if (liveRun.planned !== n) notes.push(`the live passes planned ${liveRun.planned} reminders of ${n}`);
  const ratio = sim.ms / liveRun.ms;
  const rows: Row[] = [
    {
      label: `simulation: ${n / 1000}k orders`,
      value: Math.round(sim.ms),
      unit: 'ms',
      baseline: Math.round(liveRun.ms),
      baselineLabel: 'live pass + dispatch',
      ratio,
      target: `ratio ≤ ${SIMULATION_TARGETS.ratioMax}`,
      status: notes.length ? 'error' : check(ratio, SIMULATION_TARGETS.ratioMax, 'max'),
    },
    {
      label: 'simulation: 10k orders wall time',
      value: quick ? null : Math.round(sim.ms),
      unit: 'ms',
      baseline: null,
      ratio: null,
      target: `≤ ${SIMULATION_TARGETS.tenThousandMaxMs / 1000} s`,
      status: quick ? 'info' : check(sim.ms, SIMULATION_TARGETS.tenThousandMaxMs, 'max'),
      ...(quick ? { note: 'quick: 1k only' } : {}),
    },
  ];
  return {
    id: 'simulation',
    title: `Simulation speed (${n.toLocaleString('en-US')} orders in a day)`,
    status: figureStatus(rows),
    method,
    metrics: {
      orders: n,
      simulation_ms: Math.round(sim.ms),
      live_ms: Math.round(liveRun.ms),
      live_pass_ms: Math.round(liveRun.passMs),
      ratio,
      simulated_reminders_sent: sent,
    },
    rows,
    notes,
  };
}
