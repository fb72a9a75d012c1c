/** Seeding rows directly in D1 for worker tests that start after intake. */
import { env } from 'cloudflare:workers';
import { db } from '../../shared/db/client';
import {
  flowTimers,
  customers,
  orders,
  providerCredentials,
  shops,
  type Customer,
  type Order,
  type Shop,
} from '../../shared/db/schema';
import { encryptSecret } from '../../shared/crypto/secret-box';
import { newId } from '../../shared/crypto/random';

export async function seedShop(overrides: Partial<Shop> = {}): Promise<Shop> {
  const now = new Date();
  const [shop] = await db(env.DB)
    .insert(shops)
    .values({
      id: newId('shop'),
      name: '茶小铺',
      webhookSecretEnc: 'unused',
      createdAt: now,
      updatedAt: now,
      ...overrides,
    })
    .returning();
  return shop!;
}

export async function seedCustomer(shopId: string, overrides: Partial<Customer> = {}): Promise<Customer> {
  const now = new Date();
  const [row] = await db(env.DB)
    .insert(customers)
    .values({
      shopId,
      id: newId('buyer'),
      name: '王小明',
      phone: '+8613800138000',
      email: 'xiaoming@example.com',
      locale: 'zh-CN',
      marketingConsent: true,
      detailsAt: now,
      createdAt: now,
      updatedAt: now,
      ...overrides,
    })
    .returning();
  return row!;
}

/** Due times of the unpaid-reminders flow's timers, seeded beside the order. */
type SeedTimers = { reminderDueAt?: Date; precloseDueAt?: Date };

export async function seedOrder(
  shopId: string,
  buyerId: string,
  { reminderDueAt, precloseDueAt, ...overrides }: Partial<Order> & SeedTimers = {},
): Promise<Order> {
  const now = new Date();
  const [row] = await db(env.DB)
    .insert(orders)
    .values({
      shopId,
      id: newId('o'),
      buyerId,
      state: 'created',
      stateRank: 0,
      stateAt: now,
      stateEventId: 'evt_seed',
      currency: 'CNY',
      total: '258.00',
      items: [{ title: '明前西湖龙井 250g', quantity: 1, unit_price: '198.00' }],
      createdAt: now,
      updatedAt: now,
      ...overrides,
    })
    .returning();
  const timers = Object.entries({ reminder: reminderDueAt, preclose: precloseDueAt }).flatMap(([step, dueAt]) =>
    dueAt
      ? [{ shopId, flow: 'unpaid-reminders' as const, orderId: row!.id, step, dueAt, createdAt: now, updatedAt: now }]
      : [],
  );
  if (timers.length) await db(env.DB).insert(flowTimers).values(timers);
  return row!;
}

export async function seedCredentials(
  shopId: string,
  provider: string,
  channel: 'sms' | 'email' | 'chat' | 'webhook',
  settings: unknown,
) {
  const now = new Date();
  await db(env.DB)
    .insert(providerCredentials)
    .values({
      id: newId('cred'),
      shopId,
      provider,
      channel,
      ciphertext: await encryptSecret(env.ENCRYPTION_KEY, JSON.stringify(settings)),
      createdAt: now,
      updatedAt: now,
    });
}
