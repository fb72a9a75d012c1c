/**
 * Test fixtures for the message, delivery and inbound tests: outbox rows
 * written straight to D1 (the dispatcher is not part of the gateway project),
 * and reads of rows the API must have changed.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { newId } from '../../../shared/crypto/random';
import { db } from '../../../shared/db/client';
import { customers, messages, type Message } from '../../../shared/db/schema';

let clock = Date.UTC(2026, 10, 11, 1, 0, 0);

/** One outbox row; each call is 1 s newer than the last unless `createdAt` is given. */
export async function seedMessage(shopId: string, overrides: Partial<Message> = {}): Promise<Message> {
  const at = new Date((clock += 1000));
  const [row] = await db(env.DB)
    .insert(messages)
    .values({
      id: newId('msg'),
      shopId,
      orderId: newId('o'),
      kind: 'shipped',
      step: 0,
      channel: 'sms',
      recipient: '+8613800138000',
      status: 'sent',
      rendered: { body: '您的包裹已发出' },
      data: { order: { number: 'A1' } },
      locale: 'zh-CN',
      attempts: 1,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    })
    .returning();
  return row!;
}

export async function messageRow(shopId: string, id: string): Promise<Message> {
  const row = await db(env.DB).query.messages.findFirst({
    where: and(eq(messages.shopId, shopId), eq(messages.id, id)),
  });
  if (!row) throw new Error(`no message ${id}`);
  return row;
}

export async function optedOut(shopId: string, buyerId: string): Promise<string[]> {
  const row = await db(env.DB).query.customers.findFirst({
    where: and(eq(customers.shopId, shopId), eq(customers.id, buyerId)),
  });
  return row?.optedOutChannels ?? [];
}
