/**
 * Review care on real D1 with a controlled clock: a rating at or below the threshold alerts staff
 * at once (the exact WeCom and DingTalk robot requests) and sends the buyer one apology in the
 * daytime; a good rating is thanked only when the shop wants it; alerts of one shop arriving
 * within a few minutes go out as one chat message listing them.
 */
import { describe, expect, it } from 'vitest';
import { dingtalk } from '../../shared/channels/dingtalk';
import { NOW, contextWith, fakeFetch, json } from '../../shared/channels/lib/testing';
import type { OutboundMessage } from '../../shared/channels/types';
import { wecom } from '../../shared/channels/wecom';
import type { Message } from '../../shared/db/schema';
import { seedOrder } from '../../test/helpers/seed';
import { ALERT_GROUP_MS } from './alerts';
import { review } from './test-facts';
import { T0, kinds, pass, setup, timeline, trigger } from './test-run';

const MIN = 60_000;

async function reviewed(shopId: string, orderId: string, rating: number, content: string | null, at: number) {
  await review(shopId, orderId, rating, content, at);
  return trigger(shopId, orderId, 'review.created', at);
}

const chatOf = (m: Message): OutboundMessage => ({
  id: m.id,
  shopId: m.shopId,
  orderId: m.orderId,
  kind: 'negative_review_alert',
  transactional: true,
  channel: 'chat',
  recipient: m.recipient,
  rendered: m.rendered!,
  data: m.data ?? {},
});

async function hmacBase64(secret: string, text: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...mac));
}

describe('a negative review', () => {
  it('alerts staff at once through the chat robots and sends the buyer one apology', async () => {
    const { shop, order } = await setup();
    expect(await reviewed(shop.id, order.id, 2, '包装破损，茶叶撒了', T0)).toEqual({ status: 'alerted' });
    expect(await kinds(shop.id, order.id)).toEqual(['negative_review_alert:0:queued', 'negative_review_care:0:queued']);
    const [alert, care] = await timeline(shop.id, order.id);
    expect(alert).toMatchObject({ channel: 'chat', recipient: 'staff', buyerId: null, dueAt: new Date(T0) });
    expect(alert!.data).toMatchObject({
      review: { rating: 2, content: '包装破损，茶叶撒了' },
      order: { id: order.id, console_url: `http://127.0.0.1:8787/console/#/orders/${order.id}` },
      also: [],
    });
    const markdown = (alert!.rendered as { markdown: string }).markdown;
    expect(markdown).toContain('中差评提醒：2星');
    expect(markdown).toContain('包装破损，茶叶撒了');
    expect(markdown).toContain(`http://127.0.0.1:8787/console/#/orders/${order.id}`);
    expect(care).toMatchObject({ channel: 'sms', status: 'queued', dueAt: new Date(T0) });
    expect((care!.rendered as { body: string }).body).toContain('非常抱歉');

    const weFetch = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    const key = '3f2b1c9e-1d2a-4c3b-9a8f-0e1d2c3b4a5f';
    expect(await wecom.send(chatOf(alert!), { key }, contextWith(weFetch))).toBeDefined();
    expect(weFetch.requests).toEqual([
      {
        method: 'POST',
        url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }),
        redirect: 'follow',
      },
    ]);
    const dingFetch = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    const secret = 'SECdingtalk';
    await dingtalk.send(chatOf(alert!), { accessToken: 'tok1234567890abcd', secret }, contextWith(dingFetch));
    const ts = NOW.getTime();
    const sign = encodeURIComponent(await hmacBase64(secret, `${ts}\n${secret}`));
    expect(dingFetch.requests).toEqual([
      {
        method: 'POST',
        url: `https://oapi.dingtalk.com/robot/send?access_token=tok1234567890abcd&timestamp=${ts}&sign=${sign}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: 'markdown',
          markdown: { title: `**中差评提醒：2星，订单${order.id}**`, text: markdown },
        }),
        redirect: 'follow',
      },
    ]);

    // The same review again (a repeated event) alerts no one twice.
    await trigger(shop.id, order.id, 'review.created', T0 + MIN);
    expect(await kinds(shop.id, order.id)).toHaveLength(2);
  });

  it('sends the apology in the morning when the review came at night, and none when care is off', async () => {
    const { shop, order } = await setup();
    const night = Date.parse('2026-11-20T15:00:00Z'); // 23:00 in Shanghai
    await reviewed(shop.id, order.id, 1, null, night);
    const care = (await timeline(shop.id, order.id)).find((m) => m.kind === 'negative_review_care')!;
    expect(care.dueAt).toEqual(new Date('2026-11-21T00:00:00Z'));

    const off = await setup({ care: false });
    await reviewed(off.shop.id, off.order.id, 1, null, T0);
    expect(await kinds(off.shop.id, off.order.id)).toEqual(['negative_review_alert:0:queued']);
  });

  it('follows the shop threshold', async () => {
    const { shop, order } = await setup({ negative_threshold: 2 });
    await reviewed(shop.id, order.id, 3, '一般', T0);
    expect(await kinds(shop.id, order.id)).toEqual([]);
  });
});

describe('a positive review', () => {
  it('is thanked only when the shop turned thanks on', async () => {
    const plain = await setup();
    expect(await reviewed(plain.shop.id, plain.order.id, 5, '好喝', T0)).toEqual({ status: 'reviewed' });
    expect(await kinds(plain.shop.id, plain.order.id)).toEqual([]);
    const thanking = await setup({ thanks: true });
    await reviewed(thanking.shop.id, thanking.order.id, 4, '好喝', T0);
    expect(await kinds(thanking.shop.id, thanking.order.id)).toEqual(['positive_review_thanks:0:queued']);
  });
});

describe('grouped staff alerts', () => {
  it('sends the first at once and the ones within minutes after it as one message', async () => {
    const { shop, buyer, order } = await setup();
    const second = await seedOrder(shop.id, buyer.id, { state: 'completed', stateRank: 3 });
    const third = await seedOrder(shop.id, buyer.id, { state: 'completed', stateRank: 3 });
    await reviewed(shop.id, order.id, 1, '发错货了', T0);
    expect(await reviewed(shop.id, second.id, 2, '太慢了', T0 + MIN)).toEqual({ status: 'alert_grouped' });
    expect(await reviewed(shop.id, third.id, 3, null, T0 + 2 * MIN)).toEqual({ status: 'alert_grouped' });
    expect(await kinds(shop.id, second.id)).toEqual(['negative_review_care:0:queued']);

    expect(await pass(shop.id, T0 + ALERT_GROUP_MS - 1)).toMatchObject({ claimed: 0 });
    expect(await pass(shop.id, T0 + ALERT_GROUP_MS)).toMatchObject({ claimed: 1, planned: 1 });
    const grouped = (await timeline(shop.id, second.id)).find((m) => m.kind === 'negative_review_alert')!;
    expect(grouped).toMatchObject({ step: 1, channel: 'chat', status: 'queued' });
    expect(grouped.data).toMatchObject({
      review: { rating: 2, content: '太慢了' },
      also: [
        {
          order_id: third.id,
          rating: 3,
          content: '',
          console_url: `http://127.0.0.1:8787/console/#/orders/${third.id}`,
        },
      ],
    });
    const markdown = (grouped.rendered as { markdown: string }).markdown;
    expect(markdown).toContain(second.id);
    expect(markdown).toContain(`同时收到的其他中差评：3星，订单${third.id}`);
    // Nothing is left waiting, and nothing goes twice.
    expect(await pass(shop.id, T0 + 2 * ALERT_GROUP_MS)).toMatchObject({ claimed: 0 });
    expect(await kinds(shop.id, third.id)).toEqual(['negative_review_care:0:queued']);
  });

  it('lets an alert go at once when the last one is older than the few minutes', async () => {
    const { shop, buyer, order } = await setup();
    const later = await seedOrder(shop.id, buyer.id, { state: 'completed', stateRank: 3 });
    await reviewed(shop.id, order.id, 1, null, T0);
    expect(await reviewed(shop.id, later.id, 1, null, T0 + ALERT_GROUP_MS + 1)).toEqual({ status: 'alerted' });
  });
});
