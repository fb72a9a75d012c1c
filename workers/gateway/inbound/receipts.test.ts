/** applyReceipt: receipts only move a message forward, once, for its own provider and shop. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../../shared/db/client';
import type { Shop } from '../../../shared/db/schema';
import { applyReceipt } from '../../../shared/delivery/outbox';
import { seedShop } from '../../../test/helpers/seed';
import { messageRow, seedMessage } from '../messages/fixtures';

const d = () => db(env.DB);
const t1 = new Date('2026-11-11T02:00:00Z');
const t2 = new Date('2026-11-11T02:05:00Z');

let shop: Shop;
let other: Shop;
beforeAll(async () => {
  shop = await seedShop();
  other = await seedShop();
});

describe('applyReceipt', () => {
  it('moves sent -> delivered, then ignores a late "sent" and a repeated "delivered"', async () => {
    const m = await seedMessage(shop.id, { provider: 'twilio', providerMessageId: 'SM-1', sentAt: t1 });
    const receipt = { providerMessageId: 'SM-1', provider: 'twilio' as const };
    expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'delivered', at: t2 })).toBe(true);
    const delivered = await messageRow(shop.id, m.id);
    expect(delivered).toMatchObject({ status: 'delivered', deliveredAt: t2, sentAt: t1 });

    expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'sent', at: t1 })).toBe(false);
    expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'delivered', at: t2 })).toBe(false);
    expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'failed', at: t2, error: 'late' })).toBe(false);
    // Nothing at all was written by the three no-ops.
    expect(await messageRow(shop.id, m.id)).toEqual(delivered);
  });

  it('records a failure with its error and the provider_rejected reason', async () => {
    const m = await seedMessage(shop.id, { provider: 'twilio', providerMessageId: 'SM-2' });
    const failed = { providerMessageId: 'SM-2', provider: 'twilio' as const, status: 'failed' as const, at: t2 };
    expect(await applyReceipt(d(), shop.id, { ...failed, error: 'twilio 30003 (undelivered)' })).toBe(true);
    expect(await messageRow(shop.id, m.id)).toMatchObject({
      status: 'failed',
      reason: 'provider_rejected',
      lastError: 'twilio 30003 (undelivered)',
    });
  });

  it('settles a message still marked sending by our id, filling in the provider id and clearing the lease', async () => {
    const m = await seedMessage(shop.id, {
      status: 'sending',
      leaseExpiresAt: new Date(Date.now() + 60_000),
      provider: null,
    });
    const receipt = { messageId: m.id, providerMessageId: 'biz-9', provider: 'aliyun_sms' as const };
    expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'delivered', at: t2 })).toBe(true);
    expect(await messageRow(shop.id, m.id)).toMatchObject({
      status: 'delivered',
      provider: 'aliyun_sms',
      providerMessageId: 'biz-9',
      leaseExpiresAt: null,
      sentAt: t2,
      deliveredAt: t2,
    });
  });

  it('moves sending -> sent but never queued, dead or skipped rows', async () => {
    const sending = await seedMessage(shop.id, { status: 'sending', provider: 'twilio', providerMessageId: 'SM-3' });
    expect(
      await applyReceipt(d(), shop.id, { providerMessageId: 'SM-3', provider: 'twilio', status: 'sent', at: t1 }),
    ).toBe(true);
    expect((await messageRow(shop.id, sending.id)).status).toBe('sent');
    for (const status of ['queued', 'dead', 'skipped'] as const) {
      const m = await seedMessage(shop.id, { status, provider: 'twilio', providerMessageId: `SM-${status}` });
      const receipt = { providerMessageId: `SM-${status}`, provider: 'twilio' as const, at: t2 };
      expect(await applyReceipt(d(), shop.id, { ...receipt, status: 'delivered' })).toBe(false);
      expect((await messageRow(shop.id, m.id)).status).toBe(status);
    }
  });

  it("ignores another provider's or another shop's receipt", async () => {
    const m = await seedMessage(shop.id, { provider: 'twilio', providerMessageId: 'SM-4' });
    expect(
      await applyReceipt(d(), shop.id, {
        providerMessageId: 'SM-4',
        provider: 'aliyun_sms',
        status: 'delivered',
        at: t2,
      }),
    ).toBe(false);
    expect(
      await applyReceipt(d(), other.id, { providerMessageId: 'SM-4', provider: 'twilio', status: 'delivered', at: t2 }),
    ).toBe(false);
    expect(
      await applyReceipt(d(), other.id, { messageId: m.id, provider: 'twilio', status: 'delivered', at: t2 }),
    ).toBe(false);
    expect((await messageRow(shop.id, m.id)).status).toBe('sent');
    expect(await applyReceipt(d(), shop.id, { provider: 'twilio', status: 'delivered', at: t2 })).toBe(false);
  });
});
