/**
 * The intake figure's floor (issue 16 item 1): a bench-only worker on the same workerd and the same
 * D1 as the gateway, whose `POST /floor/{shop_id}` writes the intake's own statements for an
 * `order.created` as one raw D1 batch, with no signature check, no validation and no ORM at request
 * time. What a route that must store the event before it answers cannot go below.
 *
 * The statements are the intake's exactly: on the first request the worker builds them once with the
 * intake's own code (`intakeStatements`) for a template event, takes each one's SQL and parameters,
 * and from then on only prepares those SQL texts and binds fresh values, swapping the
 * template's ids and times for the request's. Only `order_id` is read from the body (the bench sends
 * a new order per request); nothing else of it is parsed.
 */
import { drizzle } from 'drizzle-orm/d1';
import type { WebhookEventBody } from '../../shared/events/webhook';
import { intakeStatements } from '../../workers/gateway/webhooks/intake';
import { orderCreatedEvent } from '../lib/order-created';

type Env = { DB: D1Database };
type Plan = { sql: string; params: unknown[] }[];

const T_EVENT = 'evt_FLOORTEMPLATE0000000';
const T_HOOK = 'msg_FLOORTEMPLATE';
const T_ORDER = 'order_FLOORTEMPLATE';
const T_NOW = 1_000_000_000_000;
const T_AT = '2001-09-09T01:46:40.000Z'; // = T_NOW

const template = orderCreatedEvent({ orderId: T_ORDER, at: T_AT }) as WebhookEventBody;

const plans = new Map<string, Plan>();

function planFor(env: Env, shopId: string): Plan {
  let plan = plans.get(shopId);
  if (!plan) {
    const { statements } = intakeStatements(drizzle(env.DB), shopId, T_HOOK, template, {
      eventId: T_EVENT,
      now: new Date(T_NOW),
    });
    plan = statements;
    plans.set(shopId, plan);
  }
  return plan;
}

let counter = 0;

export default {
  async fetch(request, env) {
    const match = /^\/floor\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (request.method !== 'POST' || !match) return new Response('not found', { status: 404 });
    const body = await request.text();
    const orderId = /"order_id":"([^"]+)"/.exec(body)?.[1];
    if (!orderId) return new Response('no order_id', { status: 400 });
    const now = Date.now();
    const at = new Date(now).toISOString();
    const eventId = `evt_floor_${now}_${++counter}`;
    const hookId = request.headers.get('webhook-id') ?? eventId;
    const swap = (value: unknown): unknown => {
      if (value === T_NOW) return now;
      if (typeof value !== 'string') return value;
      if (value === T_EVENT) return eventId;
      if (value === T_HOOK) return hookId;
      if (value === T_ORDER) return orderId;
      return value.includes(T_ORDER) || value.includes(T_AT)
        ? value.replaceAll(T_ORDER, orderId).replaceAll(T_AT, at)
        : value;
    };
    const batch = planFor(env, match[1]!).map(({ sql, params }) => env.DB.prepare(sql).bind(...params.map(swap)));
    await env.DB.batch(batch);
    return Response.json({ status: 'accepted', event_id: eventId }, { status: 202 });
  },
} satisfies ExportedHandler<Env>;
