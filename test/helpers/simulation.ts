/**
 * Simulation test scaffolding: a live shop that went through `dayOfOrders` on the live workers
 * (test/helpers/live-clock.ts), the simulator input the gateway's `POST /v1/simulations` builds for
 * it, and message rows in a comparable form (ids and link tokens left out: those are random).
 */
import { env } from 'cloudflare:workers';
import { asc, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { messages, shortLinks, type Message } from '../../shared/db/schema';
import type { SimulationInput } from '../../shared/simulation/input';
import type { SimulatorRpc } from '../../shared/simulation/rpc';
import { dayOfOrders, local } from './day-of-orders';
import type { TestShop } from './gateway';
import { LiveClock } from './live-clock';

export const MINUTE = 60_000;

/** The live day: events at their times, every worker's cron each minute from 07:59 to `until`. */
export async function liveDay(simulator: SimulatorRpc, until = local('20:00')) {
  const live = new LiveClock({
    DB: env.DB,
    OPERATOR_TOKEN: 'test-operator-token',
    ENCRYPTION_KEY: env.ENCRYPTION_KEY,
    SIMULATOR: simulator,
  });
  const json = (key: string, method: string, body: unknown): RequestInit => ({
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const created = await live.fetch(
    local('07:00'),
    '/v1/shops',
    json('test-operator-token', 'POST', { name: '茶小铺' }),
  );
  const shop = (await created.json()) as TestShop;
  const settings = await live.fetch(
    local('07:00'),
    '/v1/shop',
    json(shop.api_key, 'PATCH', { review_requests: { delay_days: 0 }, sms_signature: '茶小铺' }),
  );
  if (settings.status !== 200) throw new Error(`settings: ${await settings.text()}`);
  await live.fetch(
    local('07:00'),
    '/v1/delivery/settings',
    json(shop.api_key, 'PUT', { sms_price: { per_part: '0.045', currency: 'CNY' } }),
  );
  const events = dayOfOrders();
  let next = 0;
  for (let t = local('07:59').getTime(); t <= until.getTime(); t += MINUTE) {
    while (next < events.length && events[next]!.at.getTime() <= t) {
      const e = events[next++]!;
      await live.event(shop, e.body, e.at, e.id);
    }
    await live.cron(new Date(t));
  }
  return { live, shop, json };
}

/** A stand-in for the simulator binding that keeps what the gateway sent and forwards it. */
export function capturing(forward?: SimulatorRpc) {
  const inputs: SimulationInput[] = [];
  const rpc: SimulatorRpc = {
    async start(input) {
      inputs.push(input);
      return forward ? forward.start(input) : { id: 'sim_captured' };
    },
    get: (shopId, id) => (forward ? forward.get(shopId, id) : Promise.resolve(null)),
  };
  return { rpc, inputs };
}

/** Address links carry a token signed with the run's own key (the simulator's is a throwaway one). */
const LINK_TOKEN = /\/a\/[A-Za-z0-9_.-]+/g;

/** Short links carry a random code: each is compared by where it leads (its token masked). */
const SHORT_LINK = /\/s\/([0-9A-Za-z]{8})/g;

/** A message as the comparison sees it: what was decided, when, and the text (tokens masked). */
export function comparable(m: Message, versionPrefix = '', links: Map<string, string> = new Map()) {
  return {
    order: m.orderId,
    kind: m.kind,
    step: m.step,
    channel: m.channel,
    recipient: m.recipient,
    status: m.status,
    reason: m.reason,
    variant: m.variant,
    version: m.templateVersionId?.replace(versionPrefix, '') ?? null,
    fallback: m.fallbackReason,
    locale: m.locale,
    clock: m.clock,
    sendBy: m.sendBy?.toISOString() ?? null,
    sentAt: m.sentAt?.toISOString() ?? null,
    text: JSON.stringify(m.rendered)
      .replace(SHORT_LINK, (_, code: string) => `/s/→${links.get(code) ?? 'unknown'}`)
      .replace(LINK_TOKEN, '/a/<token>'),
  };
}

export async function rowsOf(d1: D1Database, shopId: string, versionPrefix = '') {
  const rows = await db(d1)
    .select()
    .from(messages)
    .where(eq(messages.shopId, shopId))
    .orderBy(asc(messages.orderId), asc(messages.kind), asc(messages.step), asc(messages.channel));
  const links = await db(d1)
    .select({ code: shortLinks.code, destination: shortLinks.destination })
    .from(shortLinks)
    .where(eq(shortLinks.shopId, shopId));
  const destinations = new Map(links.map((l) => [l.code, l.destination]));
  return rows.map((m) => comparable(m, versionPrefix, destinations));
}
