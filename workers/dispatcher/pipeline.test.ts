import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import type { Message } from '../../shared/db/schema';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import { sampleData } from '../../shared/templates/catalogue';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';

async function waitForStatus(id: string, statuses: string[], timeoutMs = 8000): Promise<Message> {
  const started = Date.now();
  for (;;) {
    const row = await db(env.DB).query.messages.findFirst({ where: (m, { eq }) => eq(m.id, id) });
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() - started > timeoutMs) throw new Error(`message ${id} stayed ${row?.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the dispatch pipeline with the local provider', () => {
  it('takes a planned message through the real queue to delivered, once', async () => {
    const shop = await seedShop({ smsSignature: '【茶小铺】' });
    const buyer = await seedCustomer(shop.id);
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const request = {
      shop,
      orderId: order.id,
      customer: buyer,
      kind: 'thank_you' as const,
      locale: 'zh-CN',
      data: sampleData('thank_you'),
      audience: { returning: false },
      expectsOrderState: 'paid' as const,
      publicUrl: env.PUBLIC_URL,
    };
    const planned = await planMessage(db(env.DB), env.DISPATCH as Queue<DispatchJob>, request);
    expect(planned).toMatchObject({ status: 'queued', duplicate: false });
    expect(await planMessage(db(env.DB), env.DISPATCH as Queue<DispatchJob>, request)).toMatchObject({
      duplicate: true,
    });

    const row = await waitForStatus(planned.id, ['delivered', 'failed', 'dead', 'skipped', 'cancelled']);
    expect(row).toMatchObject({
      status: 'delivered',
      channel: 'sms',
      recipient: '+8613800138000',
      provider: 'local',
      attempts: 1,
    });
    expect(row.providerMessageId).toBe(`local_${planned.id}`);
    expect((row.rendered as { body: string }).body.startsWith('【茶小铺】')).toBe(true);
  });
});
