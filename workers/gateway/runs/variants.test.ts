/**
 * One rule for the audience: the preview of a real order and the real send of
 * its unpaid reminder (planned by the reminders worker behind the service
 * binding) pick the same variant, persona included.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, settleReminders, zoneAtNoon } from '../../../test/helpers/gateway';
import { orderCreated } from '../../../test/helpers/events';
import { draft, previewOf, publish, sms } from '../../../test/helpers/templates';

const document = sms('{{ buyer.name }}，您的订单还未付款。', {
  variants: [
    { key: 'returning', audience: { buyer: 'returning' }, parts: { body: '老朋友{{ buyer.name }}，订单还未付款。' } },
    { key: 'tiger', audience: { persona: 'tiger' }, parts: { body: '{{ buyer.name }}：付款即发货。' } },
  ],
});

describe('audience variants of the unpaid reminder', () => {
  it('picks the persona variant in the preview and in the real send alike', async () => {
    const shop = await createShop('Persona', zoneAtNoon());
    await call('/v1/shop', {
      method: 'PATCH',
      key: shop.api_key,
      json: { shipping_cutoff: '00:00', quiet_hours: { start: '03:00', end: '03:01' } },
    });
    const saved = await draft(shop.api_key, 'unpaid_reminder/sms/zh-CN', document);
    expect(saved.status).toBe(201);
    const { version } = (await saved.json()) as { version: number };
    expect((await publish(shop.api_key, 'unpaid_reminder/sms/zh-CN', version)).status).toBe(200);

    const buyer = { id: 'b-tiger', name: '李雷', phone: '+8613900139000', locale: 'zh-CN', tags: ['tiger'] };
    await sendEvent(
      shop,
      orderCreated('p-1', Date.now() - 3_600_000, { buyer: { ...buyer, marketing_consent: true } }),
    );
    await settleReminders(shop.shop_id);
    await env.DB.prepare("UPDATE flow_timers SET due_at = ? WHERE shop_id = ? AND step = 'reminder'")
      .bind(Date.now() - 1000, shop.shop_id)
      .run();
    const run = await call('/v1/runs/unpaid-reminders', { method: 'POST', key: shop.api_key });
    expect(await run.json()).toMatchObject({ planned: 1 });

    const sent = await env.DB.prepare("SELECT variant FROM messages WHERE shop_id = ? AND kind = 'unpaid_reminder'")
      .bind(shop.shop_id)
      .first<{ variant: string }>();
    const preview = await previewOf(shop.api_key, {
      kind: 'unpaid_reminder',
      channel: 'sms',
      locale: 'zh-CN',
      order_id: 'p-1',
    });
    expect(preview.status).toBe(200);
    expect(sent!.variant).toBe('tiger');
    expect(((await preview.json()) as { variant: string }).variant).toBe(sent!.variant);
  });
});
