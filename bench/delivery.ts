/**
 * Figure 4, delivery (issue 7 item 4): messages per second through the real dispatcher worker on
 * workerd to a loopback fake provider that answers 200 after 50 ms, against the concurrency bound
 * (allowed concurrent sends ÷ 50 ms), with the duplicates the fake provider counts.
 *
 * The stack is the one the intake figure runs (every worker of wrangler.toml in one Miniflare; cron
 * triggers not fired, so no due scan races the bench). The shop routes every kind to its own signed
 * webhook (set through the delivery API, as a user would); N queued `shipped` messages (transactional:
 * no quiet hours, consent or budget) are inserted into D1, and one dispatch job per message is sent to
 * the dispatch queue through Miniflare's producer for the gateway's DISPATCH binding — the same queue
 * and consumer the planners use. Timed from the first enqueue until the fake provider has answered N
 * distinct `webhook-id`s; D1 must then show N delivered.
 *
 * The bound: Miniflare's local queue hands a consumer one batch at a time (the next flush is only
 * scheduled once the previous batch returned), and the dispatcher sends the messages of a batch one
 * after another (for…of with await), so one send is allowed in flight: bound = 1 ÷ 0.05 s = 20 msg/s.
 * The fake provider also measures the concurrency it actually saw; if it ever exceeds the assumed
 * one, the bound uses the larger figure.
 *
 * Targets: msgs/s ≥ 0.8 × bound; zero duplicates at the fake provider.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShop, startGateway, type BenchD1, type Gateway } from './lib/gateway.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';

export const DELIVERY_TARGETS = { boundRatioMin: 0.8, duplicatesMax: 0 } as const;

const PROVIDER_DELAY_MS = 50;
/** Sends in flight allowed by the configuration (see the header comment). */
const CONFIGURED_CONCURRENCY = 1;

type FakeProvider = {
  server: Server;
  url: string;
  /** Accepted answers per webhook-id. */
  counts: Map<string, number>;
  reset(): void;
  stats(): {
    requests: number;
    distinct: number;
    duplicates: number;
    max_in_flight: number;
    mean_in_flight: number;
    last_answer_at: number;
  };
};

async function startFakeProvider(): Promise<FakeProvider> {
  const counts = new Map<string, number>();
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let busyArea = 0; // ∫ in-flight dt, for the time-weighted mean
  let lastChange = performance.now();
  let windowStart = performance.now();
  let lastAnswerAt = 0;
  const change = (delta: number) => {
    const now = performance.now();
    busyArea += inFlight * (now - lastChange);
    lastChange = now;
    inFlight += delta;
    maxInFlight = Math.max(maxInFlight, inFlight);
  };
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    requests += 1;
    change(+1);
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        counts.set(id, (counts.get(id) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
        lastAnswerAt = performance.now();
        change(-1);
      }, PROVIDER_DELAY_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/hook`,
    counts,
    reset() {
      counts.clear();
      requests = 0;
      maxInFlight = inFlight;
      busyArea = 0;
      lastChange = windowStart = performance.now();
    },
    stats() {
      const now = lastAnswerAt || performance.now();
      const area = busyArea + inFlight * Math.max(0, now - lastChange);
      let duplicates = 0;
      for (const n of counts.values()) duplicates += n - 1;
      return {
        requests,
        distinct: counts.size,
        duplicates,
        max_in_flight: maxInFlight,
        mean_in_flight: Math.round((area / Math.max(1, now - windowStart)) * 100) / 100,
        last_answer_at: lastAnswerAt,
      };
    },
  };
}

async function api(gateway: Gateway, key: string, method: string, path: string, body: unknown) {
  const response = await fetch(new URL(path, gateway.url), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
}

/** N queued `shipped` messages to the shop's webhook, due now; one order id each (the business key). */
async function insertMessages(d1: BenchD1, shopId: string, ids: string[]) {
  const now = Date.now();
  const rendered = JSON.stringify({ payload: '{}' });
  for (let i = 0; i < ids.length; i += 200) {
    const values = ids
      .slice(i, i + 200)
      .map(
        (id) =>
          `('${id}','${shopId}','order-${id}','shipped',0,'webhook','shop','queued','${rendered}','zh-CN',${now - 1000},${now},${now})`,
      );
    await d1
      .prepare(
        `INSERT INTO messages (id, shop_id, order_id, kind, step, channel, recipient, status, rendered, locale, due_at, created_at, updated_at) VALUES ${values.join(',')}`,
      )
      .run();
  }
}

async function countDelivered(d1: BenchD1, shopId: string, prefix: string): Promise<Record<string, number>> {
  const { results } = await d1
    .prepare(`SELECT status, count(*) AS n FROM messages WHERE shop_id = ? AND id LIKE ? GROUP BY status`)
    .bind(shopId, `${prefix}%`)
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r: { status: string; n: number }) => [r.status, r.n]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Enqueues one job per id and waits until the provider has answered every id (bounded). */
async function sendThrough(
  gateway: Gateway,
  provider: FakeProvider,
  shopId: string,
  ids: string[],
  label: string,
  limitMs: number,
) {
  const queue = await gateway.mf.getQueueProducer<{ shopId: string; messageId: string }>(
    'DISPATCH',
    gateway.worker.name,
  );
  provider.reset();
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 100) {
    await queue.sendBatch(ids.slice(i, i + 100).map((messageId) => ({ body: { shopId, messageId } })));
  }
  const enqueuedMs = performance.now() - t0;
  const want = new Set(ids);
  const seen = () => [...provider.counts.keys()].filter((id) => want.has(id)).length;
  while (seen() < ids.length && performance.now() - t0 < limitMs) {
    progress.update(label, `${seen().toLocaleString('en-US')}/${ids.length.toLocaleString('en-US')} answered`);
    await sleep(20);
  }
  const stats = provider.stats();
  const complete = seen() === ids.length;
  const seconds = ((complete ? stats.last_answer_at : performance.now()) - t0) / 1000;
  return { complete, seconds, enqueue_ms: Math.round(enqueuedMs), ...stats };
}

export async function benchDelivery({ quick }: { quick: boolean }): Promise<FigureResult> {
  const n = quick ? 300 : 1_000;
  const warmup = 20;
  const bound = CONFIGURED_CONCURRENCY / (PROVIDER_DELAY_MS / 1000);
  const method = {
    runtime:
      'workerd via the Miniflare API: one instance running every worker of wrangler.toml (as for intake); cron triggers not fired',
    fake_provider: `Node HTTP server on 127.0.0.1 (this process): 200 after ${PROVIDER_DELAY_MS} ms, counts requests per webhook-id`,
    shop: "delivery settings through PUT /v1/delivery/settings (default_route ['webhook'], providers {webhook: ['webhook']}, promotional_consent implied); webhook credentials through PUT /v1/delivery/providers/webhook",
    messages: `${n} rows inserted into messages (status queued, kind shipped, channel webhook, recipient shop, rendered {"payload":"{}"}, due a second ago), one order id each`,
    enqueue:
      "one {shopId, messageId} job per message through Miniflare's producer for the gateway's DISPATCH binding (queue orderbell-dispatch), 100 per sendBatch",
    consumer:
      'the dispatcher worker: wrangler.toml max_batch_size 10, max_batch_timeout 1 s; messages of a batch sent one after another',
    warm_up: `${warmup} messages through the same path first (not measured)`,
    timed: 'from the first enqueue until the fake provider answered the last distinct id (Node performance.now())',
    concurrency_bound: `${CONFIGURED_CONCURRENCY} send in flight: Miniflare's local queue delivers one batch at a time to a consumer and the dispatcher awaits each send; bound = concurrency / ${PROVIDER_DELAY_MS} ms = ${bound} msg/s (raised to the concurrency the provider saw, if larger)`,
  };

  progress.update('delivery', 'starting the fake provider, bundling the workers and migrating a fresh D1');
  const provider = await startFakeProvider();
  let gateway: Gateway | undefined;
  try {
    gateway = await startGateway({ quietWorkerLogs: true });
    const { shopId, apiKey } = await createShop(gateway);
    await api(gateway, apiKey, 'PUT', '/v1/delivery/settings', {
      default_route: ['webhook'],
      providers: { webhook: ['webhook'] },
      promotional_consent: 'implied',
    });
    await api(gateway, apiKey, 'PUT', '/v1/delivery/providers/webhook', {
      url: provider.url,
      secret: `whsec_${randomBytes(24).toString('base64')}`,
    });
    const d1 = await gateway.db();
    const tag = randomBytes(3).toString('hex');

    const warmIds = Array.from({ length: warmup }, (_, i) => `msg_warm_${tag}_${i}`);
    await insertMessages(d1, shopId, warmIds);
    const warm = await sendThrough(gateway, provider, shopId, warmIds, 'delivery: warm-up', 30_000);
    if (!warm.complete) {
      const statuses = await countDelivered(d1, shopId, 'msg_warm_');
      throw new Error(
        `warm-up: the fake provider saw ${warm.distinct}/${warmup} messages; D1: ${JSON.stringify(statuses)}`,
      );
    }
    await sleep(1_500); // let the warm-up's last batch settle

    const ids = Array.from({ length: n }, (_, i) => `msg_bench_${tag}_${i}`);
    progress.update('delivery', `inserting ${n} queued messages`);
    await insertMessages(d1, shopId, ids);
    const limitMs = (n / (bound * 0.25)) * 1000 + 30_000;
    const run = await sendThrough(gateway, provider, shopId, ids, `delivery: ${n} messages`, limitMs);
    // D1 must agree: every message delivered (markSent runs right after the provider answers).
    let statuses = await countDelivered(d1, shopId, 'msg_bench_');
    for (let i = 0; i < 50 && (statuses.delivered ?? 0) < n; i++) {
      await sleep(100);
      statuses = await countDelivered(d1, shopId, 'msg_bench_');
    }
    await sleep(300);
    const final = provider.stats();

    const concurrency = Math.max(CONFIGURED_CONCURRENCY, final.max_in_flight);
    const effectiveBound = concurrency / (PROVIDER_DELAY_MS / 1000);
    const rate = run.complete ? n / run.seconds : NaN;
    const ratio = rate / effectiveBound;
    const delivered = statuses.delivered ?? 0;
    const rows: Row[] = [
      {
        label: 'delivery: msgs/s',
        value: Number.isFinite(rate) ? rate : null,
        unit: 'msg/s',
        baseline: effectiveBound,
        baselineLabel: `bound: ${concurrency} in flight ÷ ${PROVIDER_DELAY_MS} ms`,
        ratio: Number.isFinite(ratio) ? ratio : null,
        target: `ratio ≥ ${DELIVERY_TARGETS.boundRatioMin.toFixed(2)}`,
        status: run.complete && delivered === n ? check(ratio, DELIVERY_TARGETS.boundRatioMin, 'min') : 'fail',
        ...(run.complete ? {} : { note: `only ${run.distinct}/${n} answered` }),
        ...(run.complete && delivered !== n ? { note: `D1: ${delivered}/${n} delivered` } : {}),
      },
      {
        label: 'delivery: duplicates',
        value: final.duplicates,
        unit: '',
        baseline: null,
        ratio: null,
        target: `= ${DELIVERY_TARGETS.duplicatesMax}`,
        status: check(final.duplicates, DELIVERY_TARGETS.duplicatesMax, 'max'),
      },
      {
        label: 'delivery: sends in flight',
        value: final.max_in_flight,
        unit: 'max',
        baseline: null,
        baselineLabel: `mean ${final.mean_in_flight}`,
        ratio: null,
        target: '—',
        status: 'info',
      },
    ];
    const notes: string[] = [];
    if (final.max_in_flight > CONFIGURED_CONCURRENCY) {
      notes.push(
        `the fake provider saw ${final.max_in_flight} sends in flight, more than the ${CONFIGURED_CONCURRENCY} assumed: the bound uses ${final.max_in_flight}`,
      );
    }
    return {
      id: 'delivery',
      title: 'Delivery through the dispatcher to a 50 ms fake provider',
      status: figureStatus(rows),
      method,
      metrics: {
        messages: n,
        seconds: Math.round(run.seconds * 1000) / 1000,
        msgs_per_second: rate,
        bound_msgs_per_second: effectiveBound,
        configured_concurrency: CONFIGURED_CONCURRENCY,
        provider: final,
        enqueue_ms: run.enqueue_ms,
        d1_statuses: statuses,
        per_message_ms: Math.round((run.seconds / n) * 1000 * 10) / 10,
        warm_up: { seconds: warm.seconds, max_in_flight: warm.max_in_flight },
      },
      rows,
      notes,
    };
  } finally {
    progress.clear();
    await gateway?.stop();
    provider.server.closeAllConnections();
    await new Promise((resolve) => provider.server.close(resolve));
  }
}
