/**
 * Thank-you flow scaffolding: the real gateway behind a service binding (an
 * auxiliary worker built from its source, sharing this project's D1), the jobs
 * it queues for each accepted event, and the thank-you worker's queue handler
 * run on those jobs. No other worker's code is imported.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { flowTimers, messages, orders, type Message } from '../../shared/db/schema';
import type { FlowJob } from '../../shared/events/flow-job';
import thankYouWorker from '../../workers/thank-you/index';
import type { WebhookEventBody } from '../../shared/events/webhook';
import { subscribers } from '../../shared/flows/registry';
import { recorder } from './queues';
import { nextWebhookId, sign, type TestShop } from './gateway';

export { recorder };

/**
 * The real gateway, behind this project's `GATEWAY` service binding (built from its own source as
 * an auxiliary worker). Its flow queues have no consumer here, so nothing runs behind the tests'
 * backs; the jobs it queues for an accepted event are the registry's subscribers of the event type
 * (exactly what workers/gateway/webhooks/notify.ts sends), collected per flow in `sent` lists.
 */
export function gatewayBindings() {
  const thankYou = recorder<FlowJob>();
  const reminders = recorder<FlowJob>();
  return { thankYou, reminders };
}

export type Gateway = ReturnType<typeof gatewayBindings>;

export function gatewayFetch(_gw: Gateway, path: string, init: RequestInit & { json?: unknown; key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  const body = init.json === undefined ? init.body : JSON.stringify(init.json);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(`http://orderbell.test${path}`, { ...init, headers, body, redirect: 'manual' });
  return env.GATEWAY.fetch(request);
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
  const res = await gatewayFetch(gw, `/v1/webhooks/${shop.shop_id}`, { method: 'POST', headers, body });
  if (res.status === 202) {
    const body = event as WebhookEventBody;
    for (const { flow, step } of subscribers(body)) {
      const job: FlowJob = { flow, shopId: shop.shop_id, orderId: body.data.order_id, step };
      if (flow === 'thank-you') gw.thankYou.sent.push(job);
      if (flow === 'unpaid-reminders') gw.reminders.sent.push(job);
    }
  }
  return res;
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
