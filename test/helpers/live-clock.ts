/**
 * The live system on a controlled clock, inside the test's isolate: the gateway's real fetch
 * handler takes signed webhooks, and every flow worker's and the dispatcher's own `queue` and
 * `scheduled` handlers run the jobs and the minute crons, with `Date` set to the time under test
 * (vitest fake timers fake only `Date`). The queues are recorders, drained right after whatever
 * sent to them, as their consumers would within a second. Nothing here is the simulator's code.
 */
import { vi } from 'vitest';
import dispatcher from '../../workers/dispatcher/index';
import { SCHEDULED_QUEUE } from '../../workers/dispatcher/lanes';
import gateway from '../../workers/gateway/index';
import reviewRequests from '../../workers/review-requests/index';
import shipmentFollowups from '../../workers/shipment-followups/index';
import thankYou from '../../workers/thank-you/index';
import unpaidReminders from '../../workers/unpaid-reminders/index';
import type { Flow } from '../../shared/flows/names';
import { flowNames } from '../../shared/flows/names';
import { flows } from '../../shared/flows/registry';
import { sign, type TestShop } from './gateway';
import { recorder } from './queues';

const BASE = 'http://orderbell.test';
const workers: Record<Flow, ExportedHandler<never>> = {
  'unpaid-reminders': unpaidReminders as ExportedHandler<never>,
  'thank-you': thankYou as ExportedHandler<never>,
  'shipment-followups': shipmentFollowups as ExportedHandler<never>,
  'review-requests': reviewRequests as ExportedHandler<never>,
};

export class LiveClock {
  readonly queues = {
    DISPATCH: recorder<unknown>(),
    DISPATCH_SCHEDULED: recorder<unknown>(),
    UNPAID_REMINDERS_QUEUE: recorder<unknown>(),
    THANK_YOU_QUEUE: recorder<unknown>(),
    SHIPMENT_FOLLOWUPS_QUEUE: recorder<unknown>(),
    REVIEW_REQUESTS_QUEUE: recorder<unknown>(),
  };
  /** Queue messages a handler asked to retry: a live retry the drive does not model, so tests assert none. */
  readonly retried: unknown[] = [];
  readonly env: Record<string, unknown>;
  private readonly pending: Promise<unknown>[] = [];

  constructor(bindings: { DB: D1Database; OPERATOR_TOKEN: string; ENCRYPTION_KEY: string } & Record<string, unknown>) {
    this.env = {
      WEBHOOK_SECRET_GRACE_MINUTES: '1440',
      PUBLIC_URL: 'http://127.0.0.1:8787',
      SEND_EMAIL: { send: () => Promise.reject(new Error('no email in tests')) },
      ...this.queues,
      ...bindings,
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    // Each cron pass logs a line: 5 a minute over a day drowns the test output.
    this.quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
  }

  private readonly quiet: { mockRestore(): void };

  private ctx(): ExecutionContext {
    return {
      waitUntil: (p: Promise<unknown>) => void this.pending.push(p),
      passThroughOnException() {},
      props: {},
    } as ExecutionContext;
  }

  private batch(queue: string, bodies: unknown[]) {
    const messages = bodies.map((body, i) => ({
      id: `${queue}-${i}`,
      timestamp: new Date(),
      body,
      attempts: 1,
      ack() {},
      retry: () => void this.retried.push(body),
    }));
    return { queue, messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<never>;
  }

  /** Runs what the queues hold, in rounds, until they are empty. */
  async drain() {
    await Promise.all(this.pending.splice(0));
    for (let round = 0; round < 100; round++) {
      let ran = false;
      for (const flow of flowNames) {
        const jobs = this.queues[flows[flow].queue].sent.splice(0);
        if (!jobs.length) continue;
        ran = true;
        await workers[flow].queue!(this.batch(flow, jobs), this.env as never, this.ctx());
      }
      for (const [queue, lane] of [
        ['dispatch', this.queues.DISPATCH],
        [SCHEDULED_QUEUE, this.queues.DISPATCH_SCHEDULED],
      ] as const) {
        const dispatch = lane.sent.splice(0);
        if (!dispatch.length) continue;
        ran = true;
        await dispatcher.queue!(this.batch(queue, dispatch) as never, this.env as never, this.ctx());
      }
      await Promise.all(this.pending.splice(0));
      if (!ran) return;
    }
    throw new Error('queues kept refilling');
  }

  async fetch(at: Date, path: string, init: RequestInit = {}) {
    vi.setSystemTime(at);
    const res = await gateway.fetch!(new Request(`${BASE}${path}`, init) as never, this.env as never, this.ctx());
    await this.drain();
    return res;
  }

  /** A signed webhook delivered at `at` (its own timestamp says when it happened). */
  async event(shop: TestShop, body: unknown, at: Date, id: string) {
    const raw = JSON.stringify(body);
    const ts = Math.floor(at.getTime() / 1000);
    const res = await this.fetch(at, `/v1/webhooks/${shop.shop_id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': await sign(shop.webhook_secret, id, ts, raw),
      },
      body: raw,
    });
    if (res.status !== 202) throw new Error(`event ${id}: ${res.status} ${await res.text()}`);
  }

  /** The minute cron of every worker at `at`, then what it queued. */
  async cron(at: Date) {
    vi.setSystemTime(at);
    const controller = { scheduledTime: at.getTime(), cron: '* * * * *', noRetry() {} } as ScheduledController;
    for (const flow of flowNames) {
      await workers[flow].scheduled!(controller, this.env as never, this.ctx());
      await this.drain();
    }
    await dispatcher.scheduled!(controller, this.env as never);
    await this.drain();
  }

  stop() {
    vi.useRealTimers();
    this.quiet.mockRestore();
  }
}
