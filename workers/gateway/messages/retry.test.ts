/** POST /v1/messages/{id}/retry: dead or failed back to queued, audited; anything else 409. */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { auditRows, issueKey } from '../../../test/helpers/templates';
import { messageRow, seedMessage } from './fixtures';

const retry = (id: string, key: string) => call(`/v1/messages/${id}/retry`, { method: 'POST', key });

afterEach(() => vi.restoreAllMocks());

describe('POST /v1/messages/{message_id}/retry', () => {
  it('requeues a dead message: queued, due now, attempts 0, reason cleared, audited and enqueued', async () => {
    const shop = await createShop('Retry');
    const m = await seedMessage(shop.shop_id, {
      status: 'dead',
      reason: 'retries_exhausted',
      attempts: 6,
      lastError: 'twilio: twilio answered HTTP 503',
      nextAttemptAt: new Date(Date.now() - 60_000),
    });
    const send = vi.spyOn(env.DISPATCH, 'send');
    const before = Date.now();
    const res = await retry(m.id, shop.api_key);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: m.id, status: 'queued', attempts: 0, reason: null });

    const row = await messageRow(shop.shop_id, m.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, reason: null, nextAttemptAt: null });
    expect(row.dueAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(row.dueAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(send).toHaveBeenCalledWith({ shopId: shop.shop_id, messageId: m.id });

    const audit = await auditRows(shop.shop_id, 'message.retry');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: m.id, changes: { status: { from: 'dead', to: 'queued' } } });
  });

  it('requeues a failed message too', async () => {
    const shop = await createShop('Retry failed');
    const m = await seedMessage(shop.shop_id, { status: 'failed', reason: 'provider_rejected' });
    expect((await retry(m.id, shop.api_key)).status).toBe(200);
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('queued');
  });

  it('answers 409 for any other status and leaves the row alone', async () => {
    const shop = await createShop('No retry');
    for (const status of ['delivered', 'sent', 'sending', 'queued', 'skipped', 'cancelled'] as const) {
      const m = await seedMessage(shop.shop_id, { status });
      const res = await retry(m.id, shop.api_key);
      expect(res.status, status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'conflict' } });
      expect((await messageRow(shop.shop_id, m.id)).status).toBe(status);
    }
    expect(await auditRows(shop.shop_id, 'message.retry')).toEqual([]);
  });

  it("answers 404 for another shop's message, and 403 for a read-only key", async () => {
    const shop = await createShop('Owner');
    const other = await createShop('Intruder');
    const m = await seedMessage(shop.shop_id, { status: 'dead', reason: 'retries_exhausted' });
    expect((await retry(m.id, other.api_key)).status).toBe(404);
    const reader = await issueKey(shop, ['read']);
    expect((await retry(m.id, reader.key)).status).toBe(403);
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('dead');
  });

  it('two concurrent retries requeue the message once: one 200, one 409', async () => {
    const shop = await createShop('Retry race');
    const m = await seedMessage(shop.shop_id, { status: 'dead', reason: 'retries_exhausted', attempts: 6 });
    const statuses = (await Promise.all([retry(m.id, shop.api_key), retry(m.id, shop.api_key)])).map((r) => r.status);
    // Both may pass the read before either writes; the outbox transition lets only one through.
    expect(statuses.sort()).toEqual([200, 409]);
    expect(await messageRow(shop.shop_id, m.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
