/**
 * Thank-you flow scaffolding for tests that cross workers: the real gateway
 * app driven with the test's own bindings (so the jobs it queues are recorded
 * instead of delivered), the thank-you worker's queue handler run on those
 * jobs, and the dispatcher's processJob with an injected fetch.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { flowTimers, messages, orders, type Message } from '../../shared/db/schema';
import type { DispatchJob } from '../../shared/delivery/plan';
import type { FlowJob } from '../../shared/events/flow-job';
import gateway from '../../workers/gateway/index';
import thankYouWorker from '../../workers/thank-you/index';
import { processJob } from '../../workers/dispatcher/process';
import { nextWebhookId, sign, type TestShop } from './gateway';

/** A queue that only records what is sent to it. */
export function recorder<T>() {
  const sent: T[] = [];
  const queue = {
    async send(body: T) {
      sent.push(body);
    },
    async sendBatch(batch: Iterable<MessageSendRequest<T>>) {
      for (const m of batch) sent.push(m.body);
    },
  };
  return Object.assign(queue as unknown as Queue<T>, { sent });
}

/** The gateway's bindings, with its queues replaced by recorders. */
export function gatewayBindings() {
  const thankYou = recorder<FlowJob>();
  const reminders = recorder<FlowJob>();
  const dispatch = recorder<DispatchJob>();
  // This project runs the thank-you worker's env; the gateway's other bindings are not used by these tests.
  const bindings: Cloudflare.GatewayEnv = {
    ...(env as unknown as Cloudflare.GatewayEnv),
    WEBHOOK_SECRET_GRACE_MINUTES: '1440',
    // The reminders worker is not part of this project; settings changes have no reminders to move here.
    UNPAID_REMINDERS: { reschedule: async () => 0 } as unknown as Fetcher,
    THANK_YOU_QUEUE: thankYou as Queue,
    UNPAID_REMINDERS_QUEUE: reminders as Queue,
    DISPATCH: dispatch as Queue,
  };
  return { bindings, thankYou, dispatch };
}

export type Gateway = ReturnType<typeof gatewayBindings>;

export function gatewayFetch(gw: Gateway, path: string, init: RequestInit & { json?: unknown; key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  const body = init.json === undefined ? init.body : JSON.stringify(init.json);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(`http://orderbell.test${path}`, { ...init, headers, body, redirect: 'manual' });
  return gateway.fetch(request, gw.bindings, createExecutionContext());
}

export async function createShopThrough(gw: Gateway, name = '茶小铺'): Promise<TestShop> {
  const res = await gatewayFetch(gw, '/v1/shops', { method: 'POST', key: env.OPERATOR_TOKEN, json: { name } });
  if (res.status !== 201) throw new Error(`createShop: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A Standard Webhooks-signed event into the gateway's intake. */
export async function sendSigned(gw: Gateway, shop: TestShop, event: unknown, id = nextWebhookId()) {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await sign(shop.webhook_secret, id, timestamp, body),
  };
  return gatewayFetch(gw, `/v1/webhooks/${shop.shop_id}`, { method: 'POST', headers, body });
}

/** Runs the thank-you worker's queue handler on `jobs`; returns its ack/retry result. */
export async function runThankYouQueue(jobs: unknown[], bindings: Cloudflare.ThankYouEnv = env) {
  const batch = createMessageBatch<FlowJob>(
    'orderbell-thank-you',
    jobs.map((body, i) => ({ id: `job-${i}`, timestamp: new Date(), attempts: 1, body: body as FlowJob })),
  );
  const ctx = createExecutionContext();
  await thankYouWorker.queue(batch, bindings);
  return getQueueResult(batch, ctx);
}

/** The dispatcher's processJob for one message, with its outbound HTTP going to `fetcher`. */
export function dispatchWith(job: DispatchJob, fetcher: typeof fetch, now = new Date()) {
  const dispatcherEnv: Cloudflare.DispatcherEnv = {
    DB: env.DB,
    PUBLIC_URL: env.PUBLIC_URL,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY,
    DISPATCH: recorder<DispatchJob>() as Queue,
    SEND_EMAIL: env.SEND_EMAIL,
  };
  return processJob(dispatcherEnv, job, now, fetcher);
}

export const messagesOf = (shopId: string, orderId: string): Promise<Message[]> =>
  db(env.DB).query.messages.findMany({
    where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
    orderBy: (m, { asc }) => [asc(m.createdAt), asc(m.id)],
  });

/** The order with the due times of its flows' timers (null when done or never armed). */
export async function orderRow(shopId: string, orderId: string) {
  const d = db(env.DB);
  const [order, timers] = await Promise.all([
    d.query.orders.findFirst({ where: and(eq(orders.shopId, shopId), eq(orders.id, orderId)) }),
    d.query.flowTimers.findMany({ where: and(eq(flowTimers.shopId, shopId), eq(flowTimers.orderId, orderId)) }),
  ]);
  if (!order) return undefined;
  const due = (flow: string, step: string) => timers.find((t) => t.flow === flow && t.step === step)?.dueAt ?? null;
  return {
    ...order,
    reminderDueAt: due('unpaid-reminders', 'reminder'),
    precloseDueAt: due('unpaid-reminders', 'preclose'),
    thankYouDueAt: due('thank-you', 'on:order.paid'),
  };
}
