/**
 * End-to-end: starts the local stack exactly as a user does (`npm start`, in a child process with
 * its own PORT and ORDERBELL_STATE_DIR: test/support/stack.ts), then drives it over HTTP with
 * webhooks signed by the Standard Webhooks library, using the demo shop `npm start` created.
 * Runs in Node (vitest project "e2e"), not in workerd.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type DemoShop, type Stack } from '../support/stack.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

let stack: Stack;
let baseUrl: string;
let shop: DemoShop;

/** The example order.created body, with its placeholders filled in. */
function orderCreated(orderId: string): string {
  const now = new Date().toISOString();
  const text = readFileSync(path.join(root, 'examples/events/order-created.json'), 'utf8');
  return JSON.stringify(JSON.parse(text.replaceAll('{{now}}', now).replaceAll('{{order_id}}', orderId)));
}

type Delivery = { id: string; timestamp: Date; signature: string; body: string };

function sign(body: string): Delivery {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
  return { id, timestamp, body, signature: new Webhook(shop.webhook_secret).sign(id, timestamp, body) };
}

function deliver(delivery: Delivery, body = delivery.body): Promise<Response> {
  return fetch(`${baseUrl}/v1/webhooks/${shop.shop_id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(delivery.timestamp.getTime() / 1000),
      'webhook-signature': delivery.signature,
    },
    body,
  });
}

beforeAll(async () => {
  stack = await startStack();
  baseUrl = stack.baseUrl;
  expect(baseUrl).toBe(`http://127.0.0.1:${stack.port}`);
  shop = stack.shop;
  expect(stack.output()).toContain(shop.shop_id);
}, 160_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('local stack (npm start)', () => {
  const orderId = `ord_e2e_${randomBytes(4).toString('hex')}`;
  let accepted: Delivery;

  it('accepts a signed order.created webhook with 202', async () => {
    accepted = sign(orderCreated(orderId));
    const response = await deliver(accepted);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'accepted', event_id: expect.any(String) });
  });

  it('answers 200 duplicate to the identical delivery sent again', async () => {
    const response = await deliver(accepted);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'duplicate' });
  });

  it('rejects a delivery whose body was tampered with after signing, with 401', async () => {
    const delivery = sign(orderCreated(`ord_e2e_${randomBytes(4).toString('hex')}`));
    const response = await deliver(delivery, delivery.body.replace('"258.00"', '"1.00"'));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('shows the order as created through the shop API', async () => {
    const response = await fetch(`${baseUrl}/v1/orders/${orderId}`, {
      headers: { authorization: `Bearer ${shop.api_key}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ order_id: orderId, state: 'created' });
  });
});

/**
 * Posts `bytes` of body in 64 KB chunks over a fresh connection and resolves with the status the
 * server answered, or with the socket error when the client saw no answer at all.
 */
function postLarge(url: string, bytes: number, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: number | string) => {
      if (!settled) ((settled = true), resolve(value));
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(bytes);
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', (e) => done(`response ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    // A write error after the answer arrived is expected (the server stopped reading); before it, it is the bug.
    req.on('error', (e) => setTimeout(() => done((e as NodeJS.ErrnoException).code ?? e.message), 2_000));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('cron triggers (npm start)', () => {
  // The stack's cron scheduler fires scheduled() through Miniflare's trigger route, by worker name
  // (scripts/lib/scheduled.ts), never through the binding proxy, whose synchronous calls can hang a
  // busy stack. The same route answers here.
  const fire = (worker: string) =>
    fetch(`${baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&format=json`, {
      headers: { 'MF-Route-Override': worker },
    });

  it("runs the named worker's scheduled handler and answers its outcome", async () => {
    const before = stack.output().split('dispatcher pass').length;
    const response = await fire('orderbell-dispatcher');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'ok' });
    // The dispatcher's pass ran (it logs one line per pass).
    await expect.poll(() => stack.output().split('dispatcher pass').length, { timeout: 5_000 }).toBeGreaterThan(before);
  });

  it('answers 404 for a worker the stack does not run', async () => {
    const response = await fire('orderbell-no-such-worker');
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe('body limits under concurrency (npm start)', () => {
  it('answers every oversized body with 413, never a reset', async () => {
    const targets = [
      `${baseUrl}/v1/webhooks/${shop.shop_id}`,
      `${baseUrl}/v1/receipts/${shop.shop_id}/aliyun?token=x`,
      `${baseUrl}/v1/shops`,
    ];
    const attempts = Array.from({ length: 36 }, (_, i) =>
      postLarge(targets[i % targets.length]!, 3 * 1024 * 1024, i % 2 === 0),
    );
    const statuses = await Promise.all(attempts);
    expect(statuses).toEqual(statuses.map(() => 413));
  }, 120_000);
});

describe('thank-you with address confirmation (npm start)', () => {
  const orderId = `ord_e2e_paid_${randomBytes(4).toString('hex')}`;
  const event = (file: string) => {
    const now = new Date().toISOString();
    const text = readFileSync(path.join(root, 'examples/events', file), 'utf8');
    return JSON.stringify(JSON.parse(text.replaceAll('{{now}}', now).replaceAll('{{order_id}}', orderId)));
  };
  type View = {
    messages: { kind: string; status: string; rendered: { body?: string } | null }[];
    address_responses: { action: string }[];
  };
  const view = async (): Promise<View> =>
    (await (
      await fetch(`${baseUrl}/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${shop.api_key}` } })
    ).json()) as View;

  it('thanks the buyer within seconds of payment, with a working address link', async () => {
    expect((await deliver(sign(event('order-created.json')))).status).toBe(202);
    expect((await deliver(sign(event('order-paid.json')))).status).toBe(202);
    let thanks: View['messages'][number] | undefined;
    for (let i = 0; i < 50 && !thanks; i++) {
      thanks = (await view()).messages.find((m) => m.kind === 'thank_you' && m.status === 'delivered');
      if (!thanks) await new Promise((r) => setTimeout(r, 200));
    }
    expect(thanks, 'a delivered thank_you on the timeline within 10 s').toBeDefined();

    // The SMS carries a short link on the gateway's real address; it leads to the address page.
    const short = /https?:\/\/[^\s/]+\/s\/[0-9A-Za-z]{8}/.exec(thanks!.rendered!.body!)![0];
    expect(short.startsWith(`${baseUrl}/s/`)).toBe(true);
    const hop = await fetch(short, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const target = new URL(hop.headers.get('location')!);
    expect(target.origin).toBe(baseUrl);
    const link = target.pathname;
    expect(link).toMatch(/^\/a\/[\w-]+\.[\w-]+$/);
    const page = await fetch(`${baseUrl}${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('文三路****');
    const confirmed = await fetch(`${baseUrl}${link}`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'confirm' }),
      redirect: 'manual',
    });
    expect(confirmed.status).toBe(303);
    expect((await view()).address_responses).toEqual([expect.objectContaining({ action: 'confirmed' })]);
  });
});

describe('shipment follow-ups (npm start)', () => {
  type View = { messages: { kind: string; status: string; rendered: { body?: string; markdown?: string } | null }[] };
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${p}`, {
      ...init,
      headers: { authorization: `Bearer ${shop.api_key}`, 'content-type': 'application/json', ...init.headers },
    });
  const shipmentEvent = (orderId: string, type: string, data: Record<string, unknown>) =>
    JSON.stringify({ type, timestamp: new Date().toISOString(), data: { order_id: orderId, ...data } });
  const parcel = { carrier: '顺丰速运', tracking_number: `SF${randomBytes(5).toString('hex')}` };
  /** Waits up to 10 s for a delivered message of `kind` on the order's timeline. */
  async function delivered(orderId: string, kind: string) {
    for (let i = 0; i < 50; i++) {
      const view = (await (await api(`/v1/orders/${orderId}`)).json()) as View;
      const found = view.messages.find((m) => m.kind === kind && m.status === 'delivered');
      if (found) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no delivered ${kind} on ${orderId} within 10 s`);
  }

  it('follows a parcel from shipped to delivered with a notice at each step', async () => {
    // Care at once and no quiet hours for this run, whatever the time of day.
    const settings = {
      shipment_followups: { delivered_care_delay_minutes: 0 },
      quiet_hours: { start: '03:00', end: '03:01' },
    };
    expect((await api('/v1/shop', { method: 'PATCH', body: JSON.stringify(settings) })).status).toBe(200);
    const orderId = `ord_e2e_ship_${randomBytes(4).toString('hex')}`;
    expect((await deliver(sign(orderCreated(orderId)))).status).toBe(202);
    const shipped = shipmentEvent(orderId, 'order.shipped', { ...parcel, shipped_at: new Date().toISOString() });
    expect((await deliver(sign(shipped))).status).toBe(202);
    expect((await delivered(orderId, 'shipped')).rendered!.body).toContain(parcel.tracking_number);

    const update = (status: string, location?: string) =>
      shipmentEvent(orderId, 'shipment.updated', {
        ...parcel,
        status,
        occurred_at: new Date().toISOString(),
        location,
      });
    expect((await deliver(sign(update('arrived_in_city', '杭州市')))).status).toBe(202);
    expect((await delivered(orderId, 'arrived_in_city')).rendered!.body).toContain('杭州市');

    expect((await deliver(sign(update('delivered', '杭州市')))).status).toBe(202);
    // The care timer is due at once; the pass (cron, or a manual run) plans it.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api('/v1/runs/shipment-followups', { method: 'POST' })).status).toBe(200);
    expect((await delivered(orderId, 'delivered')).rendered!.body).toContain('已签收');
  });

  it('alerts staff on the chat channel and apologises to the buyer on a delivery exception', async () => {
    const orderId = `ord_e2e_exc_${randomBytes(4).toString('hex')}`;
    expect((await deliver(sign(orderCreated(orderId)))).status).toBe(202);
    const update = shipmentEvent(orderId, 'shipment.updated', {
      ...parcel,
      tracking_number: `ZT${randomBytes(5).toString('hex')}`,
      carrier: '中通快递',
      status: 'exception',
      occurred_at: new Date().toISOString(),
      detail: '包裹破损',
    });
    expect((await deliver(sign(update))).status).toBe(202);
    expect((await delivered(orderId, 'delivery_exception_alert')).rendered!.markdown).toContain('物流异常');
    expect((await delivered(orderId, 'delivery_exception')).rendered!.body).toContain('非常抱歉');
  });
});
