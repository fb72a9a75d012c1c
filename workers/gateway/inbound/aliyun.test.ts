/** Aliyun SmsReport and SmsUp pushes: the per-shop token, receipts by out_id, replies that opt out. */
import { describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { seedCustomer } from '../../../test/helpers/seed';
import { fetchCounted } from '../../../test/helpers/d1-counter';
import { MAX_PUSH_ITEMS } from './common';
import { messageRow, optedOut, seedMessage } from '../messages/fixtures';

const aliyunCreds = { accessKeyId: 'LTAI-test-id', accessKeySecret: 'aliyun-secret-for-tests', signName: '茶小铺' };

/** Stores Aliyun credentials through the API and returns the push URLs it hands out (path + query). */
async function aliyunShop(): Promise<{ shop: TestShop; receipts: string; inbound: string }> {
  const shop = await createShop('Aliyun shop');
  const res = await call('/v1/delivery/providers/aliyun_sms', { method: 'PUT', key: shop.api_key, json: aliyunCreds });
  expect(res.status).toBe(200);
  const { callback_urls } = (await res.json()) as { callback_urls: { receipts_url: string; inbound_url: string } };
  const local = (url: string) => url.replace('http://orderbell.test', '');
  return { shop, receipts: local(callback_urls.receipts_url), inbound: local(callback_urls.inbound_url) };
}

const push = (path: string, body: unknown) => call(path, { method: 'POST', json: body });

const report = (outId: string, success: boolean, extra: Record<string, unknown> = {}) => ({
  phone_number: '13800138000',
  send_time: '2026-11-11 10:00:00',
  report_time: '2026-11-11 10:00:05',
  success,
  err_code: success ? 'DELIVERED' : 'MK:0001',
  err_msg: success ? '用户接收成功' : '空号',
  sms_size: '1',
  biz_id: `biz-${outId}`,
  out_id: outId,
  ...extra,
});

describe('POST /v1/receipts/{shop_id}/aliyun', () => {
  it('applies a batch of reports by out_id and answers the documented acknowledgement', async () => {
    const { shop, receipts } = await aliyunShop();
    expect(receipts).toMatch(new RegExp(`^/v1/receipts/${shop.shop_id}/aliyun\\?token=[0-9A-Za-z]{32}$`));
    const ok = await seedMessage(shop.shop_id, { provider: 'aliyun_sms', providerMessageId: null });
    const bad = await seedMessage(shop.shop_id, { provider: 'aliyun_sms', providerMessageId: 'biz-known' });
    const res = await push(receipts, [report(ok.id, true), report(bad.id, false), report('msg_not_ours', true)]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(await messageRow(shop.shop_id, ok.id)).toMatchObject({
      status: 'delivered',
      providerMessageId: `biz-${ok.id}`,
      deliveredAt: new Date('2026-11-11T02:00:05Z'),
    });
    expect(await messageRow(shop.shop_id, bad.id)).toMatchObject({
      status: 'failed',
      providerMessageId: 'biz-known',
      lastError: 'aliyun MK:0001 空号',
    });
    // A repeated push changes nothing and is still acknowledged.
    const again = await push(receipts, [report(ok.id, false)]);
    expect(again.status).toBe(200);
    expect((await messageRow(shop.shop_id, ok.id)).status).toBe('delivered');
  });

  it('rejects a wrong or missing token with 401 and applies nothing', async () => {
    const { shop, receipts } = await aliyunShop();
    const m = await seedMessage(shop.shop_id, { provider: 'aliyun_sms' });
    const base = receipts.split('?')[0]!;
    for (const path of [`${base}?token=${'x'.repeat(32)}`, base]) {
      const res = await push(path, [report(m.id, true)]);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    // Another shop's token does not open this shop.
    const other = await aliyunShop();
    const crossed = await push(`${base}?${other.receipts.split('?')[1]}`, [report(m.id, true)]);
    expect(crossed.status).toBe(401);
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('sent');
  });

  it('keeps the token when the credentials are saved again', async () => {
    const { shop, receipts } = await aliyunShop();
    const res = await call('/v1/delivery/providers/aliyun_sms', {
      method: 'PUT',
      key: shop.api_key,
      json: aliyunCreds,
    });
    const urls = ((await res.json()) as { callback_urls: { receipts_url: string } }).callback_urls;
    expect(urls.receipts_url).toBe(`http://orderbell.test${receipts}`);
  });

  it('answers 400 for a body that is not an array of reports', async () => {
    const { receipts } = await aliyunShop();
    const res = await push(receipts, { phone_number: '13800138000' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

describe('POST /v1/inbound/{shop_id}/aliyun', () => {
  it('opts a mainland number out of SMS on TD, and ignores other replies', async () => {
    const { shop, inbound } = await aliyunShop();
    const quitter = await seedCustomer(shop.shop_id, { phone: '+8613911112222' });
    const talker = await seedCustomer(shop.shop_id, { phone: '+8613933334444' });
    const up = (phone: string, content: string) => ({
      phone_number: phone,
      content,
      send_time: '2026-11-11 10:00:00',
      dest_code: '1234',
      sequence_id: 1234567890,
    });
    const res = await push(inbound, [up('13911112222', 'TD'), up('13933334444', '什么时候发货？')]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(await optedOut(shop.shop_id, quitter.id)).toEqual(['sms']);
    expect(await optedOut(shop.shop_id, talker.id)).toEqual([]);
  });

  it('rejects a wrong token', async () => {
    const { inbound } = await aliyunShop();
    const res = await push(`${inbound.split('?')[0]}?token=nope`, [{ phone_number: '13911112222', content: 'TD' }]);
    expect(res.status).toBe(401);
  });
});

describe('large pushes', () => {
  const post = (path: string, body: unknown) =>
    fetchCounted(
      new Request(`http://orderbell.test${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  it('applies a full batch of reports in a bounded number of D1 round trips', async () => {
    const { shop, receipts } = await aliyunShop();
    const seeded: Awaited<ReturnType<typeof seedMessage>>[] = [];
    for (let i = 0; i < 40; i++) seeded.push(await seedMessage(shop.shop_id, { provider: 'aliyun_sms' }));
    const reports = Array.from({ length: MAX_PUSH_ITEMS }, (_, i) =>
      i < seeded.length ? report(seeded[i]!.id, i % 2 === 0) : report(`msg_unknown_${i}`, true),
    );
    const { res, counts } = await post(receipts, reports);
    expect(res.status).toBe(200);
    // One read of the shop's credentials, then the reports in a few batches: never one trip per report.
    expect(counts.roundTrips).toBeLessThanOrEqual(6);
    expect(counts.statements).toBeGreaterThanOrEqual(MAX_PUSH_ITEMS);
    for (const [i, m] of seeded.entries()) {
      expect((await messageRow(shop.shop_id, m.id)).status).toBe(i % 2 === 0 ? 'delivered' : 'failed');
    }
  });

  it('answers 413 for more reports than one push may carry, and applies none', async () => {
    const { shop, receipts } = await aliyunShop();
    const m = await seedMessage(shop.shop_id, { provider: 'aliyun_sms' });
    const reports = Array.from({ length: MAX_PUSH_ITEMS + 1 }, () => report(m.id, true));
    const { res } = await post(receipts, reports);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('sent');
  });

  it('batches opt-out replies too', async () => {
    const { shop, inbound } = await aliyunShop();
    const quitter = await seedCustomer(shop.shop_id, { phone: '+8613800130001' });
    const talker = await seedCustomer(shop.shop_id, { phone: '+8613800130002' });
    const replies = Array.from({ length: MAX_PUSH_ITEMS }, (_, i) => ({
      phone_number: `1380013${String(i).padStart(4, '0')}`,
      content: i % 2 ? 'TD' : 'hello',
      send_time: '2026-11-11 10:00:00',
    }));
    const { res, counts } = await post(inbound, replies);
    expect(res.status).toBe(200);
    expect(counts.roundTrips).toBeLessThanOrEqual(6);
    expect(await optedOut(shop.shop_id, quitter.id)).toEqual(['sms']);
    expect(await optedOut(shop.shop_id, talker.id)).toEqual([]);
    const tooMany = await post(inbound, [...replies, replies[0]]);
    expect(tooMany.res.status).toBe(413);
  });
});
