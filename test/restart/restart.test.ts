/**
 * The restart test (reliability suite item 5): `npm start` is killed with SIGKILL in the middle of
 * a flow, with messages queued, in flight at a provider and due later, then started again on the
 * same state. Nothing may be lost and nothing sent twice.
 *
 * The provider is the shop's own signed webhook, served by this test on 127.0.0.1: it records every
 * call by `webhook-id` (orderbell's message id) and holds calls after the first few, so that the kill
 * lands while some are in flight. Delivered-care timers due a minute after delivery are due while the
 * stack is down. Slow by nature (two stack starts, a 2-minute lease to run out), so it runs in
 * `npm run test:long`, not in `npm test`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { farQuietHours } from '../support/quiet-hours.ts';
import { stackClient } from '../support/stack-client.ts';
import { startStack, type DemoShop, type Stack } from '../support/stack.ts';

const ORDERS = 24;
/** Calls after these are held, so that the kill finds some of them in flight. */
const ANSWERED_AT_ONCE = 6;
/** Below the dispatcher's 15 s provider timeout: a held call is in flight, not timed out, when the kill comes. */
const HOLD_MS = 8_000;
/** A progress line on stderr: the test runs for minutes. */
const step = (text: string) => process.stderr.write(`restart test: ${text}\n`);
const FINAL = new Set(['sent', 'delivered', 'failed', 'skipped', 'cancelled', 'dead']);

type Receiver = { url: string; calls: Map<string, number>; server: Server };

function startReceiver(): Promise<Receiver> {
  const calls = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    req.resume();
    req.on('end', () => {
      calls.set(id, (calls.get(id) ?? 0) + 1);
      const seen = [...calls.values()].reduce((a, b) => a + b, 0);
      const answer = () => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      };
      if (seen <= ANSWERED_AT_ONCE) answer();
      else setTimeout(answer, HOLD_MS).unref();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/hook`, calls, server });
    }),
  );
}

type MessageView = { message_id: string; kind: string; status: string; reason: string | null };

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const root = mkdtempSync(path.join(os.tmpdir(), 'orderbell-restart-'));
const stateDir = path.join(root, 'state');
let stack: Stack | undefined;
let receiver: Receiver | undefined;

afterAll(async () => {
  await stack?.stop();
  receiver?.server.closeAllConnections();
  receiver?.server.close();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

function client(baseUrl: string, shop: DemoShop) {
  const { api, send: deliver } = stackClient(baseUrl, shop);
  const send = async (type: string, data: Record<string, unknown>) =>
    expect(await deliver(type, data), `${type} ${JSON.stringify(data)}`).toBe(202);
  const messagesOf = async (orderId: string): Promise<MessageView[]> => {
    const response = await api(`/v1/orders/${orderId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: MessageView[] }).messages;
  };
  return { api, send, messagesOf };
}

/** The example order.created's data (examples/events/), for one order and a buyer of its own. */
function orderData(orderId: string, i: number): Record<string, unknown> {
  const now = new Date().toISOString();
  const text = readFileSync(path.join(projectRoot, 'examples/events/order-created.json'), 'utf8');
  const { data } = JSON.parse(text.replaceAll('{{now}}', now).replaceAll('{{order_id}}', orderId));
  return {
    ...data,
    buyer: { ...data.buyer, id: `buyer_restart_${i}`, phone: `+86138${String(10_000_000 + i).slice(-8)}` },
  };
}

describe('npm start killed mid-flow and started again', () => {
  const run = randomBytes(3).toString('hex');
  const paidOrders = Array.from({ length: ORDERS }, (_, i) => `ord_rs_${run}_${i}`);
  const parcelOrders = Array.from({ length: 4 }, (_, i) => `ord_rs_${run}_p${i}`);

  it('loses nothing and sends nothing twice', async () => {
    receiver = await startReceiver();
    step('starting npm start');
    stack = await startStack({ stateDir });
    step(`ready on ${stack.baseUrl}; configuring the shop`);
    const first = client(stack.baseUrl, stack.shop);
    const shopId = stack.shop.shop_id;

    // Thank-yous go to the receiver; delivered care is due one minute after delivery.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    expect(
      (
        await first.api('/v1/delivery/providers/webhook', {
          method: 'PUT',
          body: JSON.stringify({ url: receiver.url, secret }),
        })
      ).status,
    ).toBe(200);
    const delivery = { routes: { thank_you: ['webhook'] }, providers: { webhook: ['webhook'] } };
    expect((await first.api('/v1/delivery/settings', { method: 'PUT', body: JSON.stringify(delivery) })).status).toBe(
      200,
    );
    const shopPatch = { quiet_hours: farQuietHours(), shipment_followups: { delivered_care_delay_minutes: 1 } };
    expect((await first.api('/v1/shop', { method: 'PATCH', body: JSON.stringify(shopPatch) })).status).toBe(200);

    const now = () => new Date().toISOString();
    const created = (orderId: string, i: number) => first.send('order.created', orderData(orderId, i));
    // Parcels delivered before the kill: their care timers fall due while the stack is down.
    const careDueAt = Date.now() + 60_000;
    for (const [i, orderId] of parcelOrders.entries()) {
      await created(orderId, 100 + i);
      const parcel = { carrier: '顺丰速运', tracking_number: `SF${run}${i}` };
      await first.send('order.shipped', { order_id: orderId, ...parcel, shipped_at: now() });
      await first.send('shipment.updated', { order_id: orderId, ...parcel, status: 'delivered', occurred_at: now() });
    }
    for (const [i, orderId] of paidOrders.entries()) {
      await created(orderId, i);
      await first.send('order.paid', { order_id: orderId, paid_at: now() });
    }

    step(`sent ${parcelOrders.length * 3 + paidOrders.length * 2} events; waiting for thank-yous at the receiver`);
    // Kill once some thank-yous were answered and more are held at the receiver (in flight).
    for (let i = 0; i < 600 && receiver.calls.size < ANSWERED_AT_ONCE + 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(receiver.calls.size, 'thank-yous reached the receiver before the kill').toBeGreaterThan(ANSWERED_AT_ONCE);
    const before = new Map<string, string>();
    for (const orderId of paidOrders)
      for (const m of await first.messagesOf(orderId)) if (m.kind === 'thank_you') before.set(m.message_id, m.status);
    const careBefore = (await Promise.all(parcelOrders.map((o) => first.messagesOf(o)))).flat();
    step(`killing the stack (SIGKILL) with ${receiver.calls.size} thank-yous at the receiver`);
    await stack.kill();
    expect(
      careBefore.filter((m) => m.kind === 'delivered'),
      'no care notice before the kill',
    ).toEqual([]);
    const inFlightAtKill = [...before.values()].filter((s) => s === 'sending').length;
    const notYetSent = [...before.values()].filter((s) => s === 'planned' || s === 'queued').length;
    expect(inFlightAtKill, `statuses at the kill: ${JSON.stringify([...before.values()])}`).toBeGreaterThan(0);
    expect(notYetSent, 'some thank-yous not yet sent at the kill').toBeGreaterThan(0);

    // Down until the care timers have fallen due (and at least 30 s).
    await new Promise((r) => setTimeout(r, Math.max(30_000, careDueAt + 5_000 - Date.now())));
    step('starting npm start again on the same state');
    stack = await startStack({ stateDir });
    const second = client(stack.baseUrl, stack.shop);
    expect(stack.shop.shop_id, 'the same shop, not a new demo shop').toBe(shopId);

    // Wait until every message of every order is final: the lease (2 min) runs out and the reaper
    // (every minute) decides the in-flight ones; the due scan re-queues anything the queue lost.
    let all: { orderId: string; messages: MessageView[] }[] = [];
    for (let i = 0; i < 80; i++) {
      all = [];
      for (const orderId of [...paidOrders, ...parcelOrders])
        all.push({ orderId, messages: await second.messagesOf(orderId) });
      const open = all.flatMap((o) => o.messages).filter((m) => !FINAL.has(m.status));
      const careDone = all.filter((o) => o.messages.some((m) => m.kind === 'delivered')).length;
      if (open.length === 0 && careDone === parcelOrders.length) break;
      step(`${open.length} messages not final yet, ${careDone}/${parcelOrders.length} care notices`);
      await new Promise((r) => setTimeout(r, 5_000));
    }

    const thankYous = all
      .filter((o) => paidOrders.includes(o.orderId))
      .map((o) => o.messages.filter((m) => m.kind === 'thank_you'));
    // Nothing lost: one thank-you per paid order, final, with a reason where it was not sent.
    expect(thankYous.map((t) => t.length)).toEqual(paidOrders.map(() => 1));
    for (const m of all.flatMap((o) => o.messages)) {
      expect(FINAL.has(m.status), `${m.message_id} ${m.kind} ${m.status}`).toBe(true);
      if (m.status !== 'sent' && m.status !== 'delivered')
        expect(m.reason, `${m.message_id} ${m.status}`).not.toBeNull();
    }
    // Nothing sent twice: the receiver saw each message id at most once.
    const twice = [...receiver.calls].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // The ones queued at the kill were sent after the restart, not dropped.
    const done = (status: string | undefined) => status === 'sent' || status === 'delivered';
    const sentAfter = thankYous.flat().filter((m) => !done(before.get(m.message_id)) && done(m.status));
    expect(sentAfter.length).toBeGreaterThan(0);
    // Every thank-you the receiver never saw was sent after the restart; the ones in flight at the
    // kill are either confirmed or dead with `lease_expired_unknown`, never resent blindly.
    for (const m of thankYous.flat()) {
      if (!receiver.calls.has(m.message_id))
        throw new Error(`thank-you ${m.message_id} never reached the provider (${m.status})`);
      if (m.status === 'dead') expect(m.reason).toBe('lease_expired_unknown');
    }
    // The care timers that fell due while the stack was down were planned and sent after it.
    for (const o of all.filter((x) => parcelOrders.includes(x.orderId)))
      expect(o.messages.filter((m) => m.kind === 'delivered').map((m) => m.status)).toEqual([
        expect.stringMatching(/^(sent|delivered)$/),
      ]);
    console.log(
      `restart: ${paidOrders.length} thank-yous (${inFlightAtKill} in flight, ${notYetSent} not yet sent at the kill), ` +
        `${parcelOrders.length} care timers due while down; after restart: ` +
        `${thankYous.flat().filter((m) => done(m.status)).length} sent (${sentAfter.length} after the restart), ` +
        `${thankYous.flat().filter((m) => m.status === 'dead').length} dead (lease_expired_unknown), ` +
        `${twice.length} sent twice, 0 lost`,
    );
  });
});
