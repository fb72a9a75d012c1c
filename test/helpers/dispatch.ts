/**
 * Dispatcher test scaffolding: a shop whose route starts at the `webhook`
 * channel (so a scripted fake provider sees every send), planning without
 * touching the real queue, a recording queue for the jobs processJob enqueues
 * (fallbacks), and row readers.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import {
  blacklist,
  customers,
  messages,
  orders,
  type Customer,
  type Message,
  type Order,
  type Shop,
} from '../../shared/db/schema';
import { planMessage, type DispatchJob, type PlanRequest } from '../../shared/delivery/plan';
import { sampleData } from '../../shared/templates/catalogue';
import type { MessageKind } from '../../shared/templates/kinds';
import { seedCredentials, seedCustomer, seedOrder, seedShop } from './seed';

export const HOOK_URL = 'https://shop.example/hooks';
export const HOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** 11:00 in Shanghai on a Monday: outside the default 21:00-08:00 quiet hours. */
export const DAY = new Date('2026-03-02T03:00:00.000Z');
export const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
export const MIN = 60_000;
export const HOUR = 3_600_000;

export type Scene = { shop: Shop; buyer: Customer; order: Order };

/** A shop, buyer and order; `delivery` is the shop's delivery settings JSON. */
export async function scene(
  delivery: Record<string, unknown> = {},
  opts: { shop?: Partial<Shop>; buyer?: Partial<Customer>; order?: Partial<Order>; webhook?: boolean } = {},
): Promise<Scene> {
  const shop = await seedShop({ delivery, ...opts.shop });
  if (opts.webhook !== false)
    await seedCredentials(shop.id, 'webhook', 'webhook', { url: HOOK_URL, secret: HOOK_SECRET });
  const buyer = await seedCustomer(shop.id, opts.buyer);
  const order = await seedOrder(shop.id, buyer.id, { state: 'paid', ...opts.order });
  return { shop, buyer, order };
}

/** The webhook channel first, email (through `local`) as the next channel of the route. */
export const webhookFirst = (extra: Record<string, unknown> = {}) => ({
  default_route: ['webhook', 'email'],
  providers: { webhook: ['webhook'] },
  ...extra,
});

/** Plan extras for a parcel notice: the kind's sample data, naming parcel `id`. */
export function aboutParcel(kind: MessageKind, id: string): Partial<PlanRequest> {
  const data = sampleData(kind) as { shipment?: Record<string, unknown> };
  return { data: { ...data, shipment: { ...data.shipment, id } } };
}

/** Plans `kind` at `now` without sending to the real queue (its consumer runs on the real clock). */
export async function plan(
  s: { shop: Shop; buyer: Customer | null; order: Order },
  kind: MessageKind,
  now: Date,
  extra: Partial<PlanRequest> = {},
): Promise<DispatchJob> {
  const planned = await planMessage(
    db(env.DB),
    undefined,
    {
      shop: s.shop,
      orderId: s.order.id,
      customer: s.buyer,
      kind,
      locale: 'zh-CN',
      data: sampleData(kind),
      audience: { returning: false },
      publicUrl: env.PUBLIC_URL,
      ...extra,
    },
    now,
  );
  if (planned.duplicate || planned.status !== 'queued') throw new Error(`plan: ${JSON.stringify(planned)}`);
  return { shopId: s.shop.id, messageId: planned.id };
}

/** A queue that only records what is sent to it. */
export function recordingQueue() {
  const sent: { body: DispatchJob; delaySeconds?: number }[] = [];
  const queue = {
    async send(body: DispatchJob, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
    },
    async sendBatch(batch: Iterable<MessageSendRequest<DispatchJob>>) {
      for (const m of batch) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
    },
  };
  return Object.assign(queue as unknown as Queue<DispatchJob>, { sent });
}

/**
 * The dispatcher's env with both lanes' queues replaced by one recorder, so fallbacks queued by processJob stay in the test. Typed by
 * the generated binding interface, so this helper imports no worker's code.
 */
export function dispatcherEnv(
  queue = recordingQueue(),
): Cloudflare.DispatcherEnv & { queue: ReturnType<typeof recordingQueue> } {
  return {
    DB: env.DB,
    PUBLIC_URL: env.PUBLIC_URL,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY,
    SEND_WINDOW: env.SEND_WINDOW,
    DISPATCH: queue as Queue,
    DISPATCH_SCHEDULED: queue as Queue,
    SEND_EMAIL: env.SEND_EMAIL,
    queue,
  };
}

export async function row(id: string): Promise<Message> {
  const found = await db(env.DB).query.messages.findFirst({ where: eq(messages.id, id) });
  if (!found) throw new Error(`no message ${id}`);
  return found;
}

/** Every message of the shop's order, oldest first. */
export function rowsOf(shopId: string, orderId: string): Promise<Message[]> {
  return db(env.DB).query.messages.findMany({
    where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
    orderBy: (m, { asc }) => [asc(m.createdAt), asc(m.id)],
  });
}

/** The message `id` and the fallback row planned after it for the same order (both rows planned at one instant). */
export async function withFallback(shopId: string, orderId: string, id: string): Promise<[Message, Message]> {
  const rows = await rowsOf(shopId, orderId);
  const original = rows.find((m) => m.id === id);
  const others = rows.filter((m) => m.id !== id);
  if (!original || others.length !== 1) throw new Error(`expected ${id} and one fallback, got ${rows.length} rows`);
  return [original, others[0]!];
}

export const setOrderState = (o: Order, state: Order['state']) =>
  db(env.DB)
    .update(orders)
    .set({ state })
    .where(and(eq(orders.shopId, o.shopId), eq(orders.id, o.id)));

export const updateBuyer = (c: Customer, set: Partial<Customer>) =>
  db(env.DB)
    .update(customers)
    .set(set)
    .where(and(eq(customers.shopId, c.shopId), eq(customers.id, c.id)));

export const addToBlacklist = (shopId: string, type: 'phone' | 'email' | 'buyer', value: string) =>
  db(env.DB).insert(blacklist).values({ shopId, type, value, createdAt: new Date() });

/** Every non-terminal message must be waiting with a due time (and, after a provider error, a last_error). */
export function assertNothingLost(rows: Message[]) {
  for (const m of rows) {
    if (['delivered', 'sent', 'failed', 'skipped', 'cancelled', 'dead'].includes(m.status)) continue;
    if (m.status !== 'queued' || !m.dueAt) throw new Error(`message ${m.id} is ${m.status} without a due time`);
  }
}
