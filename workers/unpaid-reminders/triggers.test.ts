/**
 * The flow's own schedule and cancellations: order.created arms the reminder
 * timers from the cutoff, and a later state stops them, cancelling the reminders
 * not yet claimed and disarming the timers in one batch (all or nothing).
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { flowTimers, messages, orders } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { handleTrigger } from './triggers';

const MIN = 60_000;
const FLOW = 'unpaid-reminders' as const;

async function trigger(shopId: string, orderId: string, type: string, now = new Date()) {
  const key = { shopId, flow: FLOW, orderId, step: `on:${type}` };
  await arm(db(env.DB), key, now, now, { rearm: false });
  return runTrigger(env, key, handleTrigger, now);
}

const timersOf = async (shopId: string, orderId: string) =>
  Object.fromEntries(
    (
      await db(env.DB).query.flowTimers.findMany({
        where: and(eq(flowTimers.shopId, shopId), eq(flowTimers.orderId, orderId)),
      })
    ).map((t) => [t.step, t.dueAt]),
  );

const statusOf = async (shopId: string, orderId: string) =>
  Object.fromEntries(
    (
      await db(env.DB).query.messages.findMany({
        where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
      })
    ).map((m) => [`${m.kind}:${m.step}`, [m.status, m.reason]]),
  );

/** Pending and finished reminders of an unpaid order, as if planned just before the payment. */
async function seedReminders(shopId: string, orderId: string) {
  const now = new Date();
  const row = (kind: string, step: number, status: 'queued' | 'planned' | 'sent') => ({
    id: newId('msg'),
    shopId,
    orderId,
    kind,
    step,
    channel: 'sms' as const,
    recipient: '+8613800138000',
    status,
    dueAt: new Date(now.getTime() + 30 * MIN),
    createdAt: now,
    updatedAt: now,
  });
  await db(env.DB)
    .insert(messages)
    .values([
      row('unpaid_reminder', 0, 'sent'),
      row('unpaid_reminder', 1, 'queued'),
      row('preclose_reminder', 0, 'planned'),
    ]);
}

describe('unpaid-reminders triggers', () => {
  it('arms the reminder from the cutoff when the order is created, once', async () => {
    const shop = await seedShop();
    const buyer = await seedCustomer(shop.id);
    // Friday 10:00 in Shanghai: the reminder aims at today's 18:00 cutoff, 30 min before by default.
    const order = await seedOrder(shop.id, buyer.id, { placedAt: new Date('2026-11-20T02:00:00Z') });
    expect(await trigger(shop.id, order.id, 'order.created')).toEqual({ status: 'armed' });
    const armed = await timersOf(shop.id, order.id);
    expect(armed.reminder).toBeInstanceOf(Date);
    expect(armed.reminder!.getTime()).toBeLessThan(Date.parse('2026-11-20T10:00:00Z'));
    expect(armed['on:order.created']).toBeNull();
    // The trigger ran; a redelivered job finds it done.
    const key = { shopId: shop.id, flow: FLOW, orderId: order.id, step: 'on:order.created' };
    expect(await runTrigger(env, key, handleTrigger)).toEqual({ status: 'not_armed' });
  });

  it('does not arm reminders for an order that was paid before its created trigger ran', async () => {
    const shop = await seedShop();
    const buyer = await seedCustomer(shop.id);
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid', stateRank: 1 });
    expect(await trigger(shop.id, order.id, 'order.created')).toEqual({ status: 'stopped' });
    expect((await timersOf(shop.id, order.id)).reminder).toBeUndefined();
  });

  it('stops the reminders on payment: pending ones cancelled and timers disarmed in one batch', async () => {
    const shop = await seedShop();
    const buyer = await seedCustomer(shop.id);
    const due = new Date(Date.now() + 30 * MIN);
    const order = await seedOrder(shop.id, buyer.id, { reminderDueAt: due, precloseDueAt: due });
    await seedReminders(shop.id, order.id);
    await db(env.DB)
      .update(orders)
      .set({ state: 'paid', stateRank: 1 })
      .where(and(eq(orders.shopId, shop.id), eq(orders.id, order.id)));

    // A failing cancellation must leave everything as it was: one transaction.
    await env.DB.exec(
      "CREATE TRIGGER fail_cancel BEFORE UPDATE ON messages WHEN NEW.status = 'cancelled' BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    await expect(trigger(shop.id, order.id, 'order.paid')).rejects.toThrow();
    await env.DB.exec('DROP TRIGGER fail_cancel');
    expect(await statusOf(shop.id, order.id)).toEqual({
      'unpaid_reminder:0': ['sent', null],
      'unpaid_reminder:1': ['queued', null],
      'preclose_reminder:0': ['planned', null],
    });
    expect((await timersOf(shop.id, order.id)).reminder).toEqual(due);

    // The failed trigger backs off; run it again once it is due.
    const later = new Date(Date.now() + 11 * MIN);
    const key = { shopId: shop.id, flow: FLOW, orderId: order.id, step: 'on:order.paid' };
    expect(await runTrigger(env, key, handleTrigger, later)).toEqual({ status: 'stopped' });
    expect(await statusOf(shop.id, order.id)).toEqual({
      'unpaid_reminder:0': ['sent', null],
      'unpaid_reminder:1': ['cancelled', 'paid'],
      'preclose_reminder:0': ['cancelled', 'paid'],
    });
    expect(await timersOf(shop.id, order.id)).toMatchObject({ reminder: null, preclose: null, 'on:order.paid': null });
  });

  it('cancels with reason cancelled when the order was cancelled', async () => {
    const shop = await seedShop();
    const buyer = await seedCustomer(shop.id);
    const order = await seedOrder(shop.id, buyer.id, { state: 'cancelled', stateRank: 4 });
    await seedReminders(shop.id, order.id);
    expect(await trigger(shop.id, order.id, 'order.cancelled')).toEqual({ status: 'stopped' });
    expect((await statusOf(shop.id, order.id))['unpaid_reminder:1']).toEqual(['cancelled', 'cancelled']);
  });
});
