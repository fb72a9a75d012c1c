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
 * The bound: the dispatcher isolate keeps at most SEND_WINDOW provider calls in flight (wrangler.toml,
 * workers/dispatcher/window.ts), across queue batches: a batch is acked once claimed, each send takes
 * a place once its provider note is written, and the next batch is claimed while they wait for the
 * provider. So bound = SEND_WINDOW ÷ 0.05 s. The
 * fake provider also measures the concurrency it actually saw; if it ever exceeds the assumed one,
 * the bound uses the larger figure.
 *
 * A second run injects transient faults: the provider answers 503 to the first attempt of 1% of
 * the messages. Its rate is timed to the first answer for every message (a faulted message's retry
 * waits out the dispatcher's 15-30 s backoff, which is policy, not throughput); then the run waits
 * for the retries, and every message must end delivered, each accepted exactly once.
 *
 * Targets: msgs/s ≥ 0.8 × bound, in both runs; zero duplicates at the fake provider.
 */
import { randomBytes } from 'node:crypto';
import { unstable_readConfig } from 'wrangler';
import { root } from '../scripts/lib/paths.ts';
import { PROVIDER_DELAY_MS, startFakeProvider, type FakeProvider } from './lib/fake-provider.ts';
import { createShop, startGateway, type BenchD1, type Gateway } from './lib/gateway.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';

export const DELIVERY_TARGETS = { boundRatioMin: 0.8, duplicatesMax: 0 } as const;

/** Share of messages whose first attempt the fault run answers with a 503. */
const FAULT_SHARE = 0.01;

/** Sends in flight allowed by the configuration: the dispatcher's send window (SEND_WINDOW) and its queue batch. */
function configuredConcurrency(): { window: number; batch: number } {
  const config = unstable_readConfig({ config: `${root}/wrangler.toml`, env: 'dispatcher' });
  const consumer = config.queues.consumers?.find((c) => c.queue === 'orderbell-dispatch');
  if (!consumer?.max_batch_size) throw new Error('wrangler.toml: the dispatch consumer has no max_batch_size');
  const window = Number(config.vars.SEND_WINDOW);
  if (!Number.isInteger(window) || window < 1)
    throw new Error('wrangler.toml: [env.dispatcher.vars] has no SEND_WINDOW');
  return { window, batch: consumer.max_batch_size };
}

export async function api(gateway: Gateway, key: string, method: string, path: string, body: unknown) {
  const response = await fetch(new URL(path, gateway.url), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
}

/** N queued `shipped` messages to the shop's webhook, due now; one order id each (the business key). */
export async function insertMessages(d1: BenchD1, shopId: string, ids: string[]) {
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

/** Over HTTP (bench/workers/sql.ts): it polls while the dispatcher is busy. */
async function countDelivered(gateway: Gateway, shopId: string, prefix: string): Promise<Record<string, number>> {
  const results = await gateway.query<{ status: string; n: number }>(
    `SELECT status, count(*) AS n FROM messages WHERE shop_id = ? AND id LIKE ? GROUP BY status`,
    shopId,
    `${prefix}%`,
  );
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Enqueues one job per id and waits until the provider has answered every id (bounded). */
export async function sendThrough(
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
  // Answered at least once, whatever the status: an injected fault counts as the send it was.
  const seen = () => [...provider.answered.keys()].filter((id) => want.has(id)).length;
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
  const { window: configured, batch: batchSize } = configuredConcurrency();
  const bound = configured / (PROVIDER_DELAY_MS / 1000);
  const method = {
    runtime:
      'workerd via the Miniflare API: one instance running every worker of wrangler.toml (as for intake); cron triggers not fired',
    fake_provider: `Node HTTP server on 127.0.0.1 (this process): 200 after ${PROVIDER_DELAY_MS} ms, counts requests per webhook-id`,
    shop: "delivery settings through PUT /v1/delivery/settings (default_route ['webhook'], providers {webhook: ['webhook']}, promotional_consent implied); webhook credentials through PUT /v1/delivery/providers/webhook",
    messages: `${n} rows inserted into messages per run (status queued, kind shipped, channel webhook, recipient shop, rendered {"payload":"{}"}, due a second ago), one order id each`,
    enqueue:
      "one {shopId, messageId} job per message through Miniflare's producer for the gateway's DISPATCH binding (queue orderbell-dispatch), 100 per sendBatch",
    consumer: `the dispatcher worker: wrangler.toml max_batch_size ${batchSize}, max_batch_timeout 0 s, SEND_WINDOW ${configured}; a batch's jobs claimed at once and acked; each send's provider note written before it takes a place in the send window, the sends running on while the next batch is claimed`,
    warm_up: `${warmup} messages through the same path first (not measured)`,
    timed: 'from the first enqueue until the fake provider answered the last distinct id (Node performance.now())',
    concurrency_bound: `${configured} sends in flight: the dispatcher isolate's send window (workers/dispatcher/window.ts) spans queue batches; bound = ${configured} / ${PROVIDER_DELAY_MS} ms = ${bound} msg/s (raised to the concurrency the provider saw, if larger)`,
    faults: `a second run of ${n}: the provider answers 503 to the first attempt of ${FAULT_SHARE * 100}% of the messages; timed to the first answer of every message, then every message must end delivered once (retries wait out the 15-30 s backoff)`,
    own_work_per_message:
      '(run time − the provider time the bound allows, n ÷ bound) ÷ n: what the dispatcher adds per message on the one workerd thread',
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
    const gw = gateway;

    const warmIds = Array.from({ length: warmup }, (_, i) => `msg_warm_${tag}_${i}`);
    await insertMessages(d1, shopId, warmIds);
    const warm = await sendThrough(gw, provider, shopId, warmIds, 'delivery: warm-up', 30_000);
    if (!warm.complete) {
      const statuses = await countDelivered(gw, shopId, 'msg_warm_');
      throw new Error(
        `warm-up: the fake provider saw ${warm.distinct}/${warmup} messages; D1: ${JSON.stringify(statuses)}`,
      );
    }
    await sleep(1_500); // let the warm-up's last batch settle

    /** One measured run: n messages, optionally with injected faults; waits until D1 agrees. */
    const measure = async (prefix: string, faults: boolean) => {
      const ids = Array.from({ length: n }, (_, i) => `${prefix}_${tag}_${i}`);
      progress.update('delivery', `inserting ${n} queued messages`);
      await insertMessages(d1, shopId, ids);
      provider.faulty.clear();
      const step = Math.round(1 / FAULT_SHARE);
      if (faults) for (let i = step >> 1; i < n; i += step) provider.faulty.add(ids[i]!);
      const injected = provider.faulty.size;
      const limitMs = (n / (bound * 0.1)) * 1000 + 30_000;
      const label = `delivery: ${n} messages${faults ? ' with faults' : ''}`;
      const run = await sendThrough(gw, provider, shopId, ids, label, limitMs);
      // D1 must agree: every message delivered (markSent runs right after the provider answers);
      // a faulted message comes back after its backoff (at most 30 s, plus the queue's delay).
      let statuses = await countDelivered(gw, shopId, `${prefix}_`);
      const settleUntil = performance.now() + (faults ? 90_000 : 5_000);
      while ((statuses.delivered ?? 0) < n && performance.now() < settleUntil) {
        progress.update(label, `${statuses.delivered ?? 0}/${n} delivered in D1`);
        await sleep(250);
        statuses = await countDelivered(gw, shopId, `${prefix}_`);
      }
      await sleep(300);
      const final = provider.stats();
      let duplicates = 0;
      for (const id of ids) duplicates += Math.max(0, (provider.counts.get(id) ?? 0) - 1);
      return { run, statuses, delivered: statuses.delivered ?? 0, final, duplicates, injected };
    };

    const plain = await measure('msg_bench', false);
    await sleep(1_500);
    const faulted = await measure('msg_fault', true);

    const concurrency = Math.max(configured, plain.final.max_in_flight, faulted.final.max_in_flight);
    const effectiveBound = concurrency / (PROVIDER_DELAY_MS / 1000);
    const rateOf = (r: typeof plain) => (r.run.complete ? n / r.run.seconds : NaN);
    const ownMs = (r: typeof plain) =>
      r.run.complete ? Math.round(((r.run.seconds - n / effectiveBound) / n) * 1000 * 100) / 100 : null;
    const rateRow = (label: string, r: typeof plain): Row => {
      const rate = rateOf(r);
      const ratio = rate / effectiveBound;
      return {
        label,
        value: Number.isFinite(rate) ? rate : null,
        unit: 'msg/s',
        baseline: effectiveBound,
        baselineLabel: `bound: ${concurrency} in flight ÷ ${PROVIDER_DELAY_MS} ms`,
        ratio: Number.isFinite(ratio) ? ratio : null,
        target: `ratio ≥ ${DELIVERY_TARGETS.boundRatioMin.toFixed(2)}`,
        status: r.run.complete && r.delivered === n ? check(ratio, DELIVERY_TARGETS.boundRatioMin, 'min') : 'fail',
        ...(r.run.complete ? {} : { note: `only ${r.run.distinct}/${n} answered` }),
        ...(r.run.complete && r.delivered !== n ? { note: `D1: ${r.delivered}/${n} delivered` } : {}),
      };
    };
    const duplicates = plain.duplicates + faulted.duplicates;
    const rows: Row[] = [
      rateRow('delivery: msgs/s', plain),
      rateRow(`delivery: msgs/s, ${FAULT_SHARE * 100}% faults`, faulted),
      {
        label: 'delivery: duplicates',
        value: duplicates,
        unit: '',
        baseline: null,
        ratio: null,
        target: `= ${DELIVERY_TARGETS.duplicatesMax}`,
        status: check(duplicates, DELIVERY_TARGETS.duplicatesMax, 'max'),
      },
      {
        label: 'delivery: own work/message',
        value: ownMs(plain),
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: '—',
        status: 'info',
      },
      {
        label: 'delivery: sends in flight',
        value: plain.final.max_in_flight,
        unit: 'max',
        baseline: null,
        baselineLabel: `mean ${plain.final.mean_in_flight}`,
        ratio: null,
        target: '—',
        status: 'info',
      },
    ];
    const notes: string[] = [];
    if (concurrency > configured) {
      notes.push(
        `the fake provider saw ${concurrency} sends in flight, more than the ${configured} assumed: the bound uses ${concurrency}`,
      );
    }
    const summary = (r: typeof plain) => ({
      seconds: Math.round(r.run.seconds * 1000) / 1000,
      msgs_per_second: rateOf(r),
      own_work_ms_per_message: ownMs(r),
      provider: r.final,
      enqueue_ms: r.run.enqueue_ms,
      d1_statuses: r.statuses,
      injected_faults: r.injected,
      duplicates: r.duplicates,
    });
    return {
      id: 'delivery',
      title: 'Delivery through the dispatcher to a 50 ms fake provider',
      status: figureStatus(rows),
      method,
      metrics: {
        messages: n,
        bound_msgs_per_second: effectiveBound,
        configured_concurrency: configured,
        plain: summary(plain),
        faults: summary(faulted),
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
