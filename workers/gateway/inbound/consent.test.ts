/**
 * Consent both ways: 退订 then 订阅 (Twilio and Aliyun replies), the re-subscribe button after an email
 * unsubscribe, the admin API that clears an opt-out, and the audit log that records each with its source.
 */
import { describe, expect, it } from 'vitest';
import { isOptInReply, isOptOutReply } from '../../../shared/delivery/opt-out';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { seedCredentials, seedCustomer } from '../../../test/helpers/seed';
import { optedOut, seedMessage } from '../messages/fixtures';
import { twilioSignature } from './twilio-signature';

const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const creds = { accountSid: `AC${'a'.repeat(32)}`, authToken: AUTH_TOKEN, from: '+14155550100' };

async function reply(shop: TestShop, from: string, body: string) {
  const path = `/v1/inbound/${shop.shop_id}/twilio`;
  const fields = { From: from, Body: body, To: creds.from, AccountSid: creds.accountSid, MessageSid: 'SM1' };
  const signature = await twilioSignature(AUTH_TOKEN, `http://orderbell.test${path}`, Object.entries(fields));
  const res = await call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(fields).toString(),
  });
  expect(res.status).toBe(200);
}

type AuditPage = {
  data: {
    action: string;
    entity: string;
    entity_id: string;
    actor_key_id: string | null;
    changes: Record<string, unknown>;
  }[];
  next_cursor: string | null;
};
async function audit(shop: TestShop, query = ''): Promise<AuditPage> {
  const res = await call(`/v1/audit${query}`, { key: shop.api_key });
  expect(res.status).toBe(200);
  return res.json();
}

describe('opt-in words', () => {
  it('are whole-message matches, and never opt-out words', () => {
    for (const word of ['订阅', 'START', 'unstop', ' Subscribe ', '恢复订阅', 'ＳＴＡＲＴ'])
      expect(isOptInReply(word)).toBe(true);
    for (const text of ['订阅一下', 'start now', '退订', 'STOP', '', undefined]) expect(isOptInReply(text)).toBe(false);
    for (const word of ['START', 'UNSTOP', '订阅']) expect(isOptOutReply(word)).toBe(false);
  });
});

describe('a buyer who replied 退订 and then 订阅', () => {
  it('gets SMS again, with both changes in the audit log (source sms_reply:twilio)', async () => {
    const shop = await createShop('Consent shop');
    await seedCredentials(shop.shop_id, 'twilio', 'sms', creds);
    const buyer = await seedCustomer(shop.shop_id, { phone: '+8613900001111', optedOutChannels: ['email'] });
    await reply(shop, '+8613900001111', '退订');
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['email', 'sms']);
    await reply(shop, '+8613900001111', '退订'); // again: nothing changes, nothing is audited
    await reply(shop, '+8613900001111', '订阅');
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['email']);

    const log = await audit(shop, '?action=customer.opt_out');
    expect(log.data).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        action: 'customer.opt_out',
        entity: 'customers',
        entity_id: buyer.id,
        actor_key_id: null,
        changes: { channel: 'sms', source: 'sms_reply:twilio' },
        created_at: expect.any(String),
      },
    ]);
    const ins = await audit(shop, '?action=customer.opt_in');
    expect(ins.data.map((e) => e.changes)).toEqual([{ channel: 'sms', source: 'sms_reply:twilio' }]);
    // Paging one entry at a time walks the whole log (shop creation, credentials, both changes) and stops.
    const seen: string[] = [];
    let cursor: string | null = '';
    for (let page = 0; page < 10 && cursor !== null; page++) {
      const got: AuditPage = await audit(shop, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(got.data.length).toBeLessThanOrEqual(1);
      seen.push(...got.data.map((e) => e.action));
      cursor = got.next_cursor;
    }
    expect(cursor).toBeNull();
    expect(seen.filter((a) => a.startsWith('customer.')).sort()).toEqual(['customer.opt_in', 'customer.opt_out']);
  });

  it('works the same through an Aliyun SmsUp push, in push order', async () => {
    const shop = await createShop('Aliyun consent shop');
    const saved = await call('/v1/delivery/providers/aliyun_sms', {
      method: 'PUT',
      key: shop.api_key,
      json: { accessKeyId: 'LTAI-test-id', accessKeySecret: 'aliyun-secret-for-tests', signName: '茶小铺' },
    });
    const { callback_urls } = (await saved.json()) as { callback_urls: { inbound_url: string } };
    const buyer = await seedCustomer(shop.shop_id, { phone: '+8613900002222' });
    const up = (content: string, at: string) => ({
      phone_number: '13900002222',
      content,
      send_time: at,
      dest_code: '1234',
      sequence_id: 1234567890,
    });
    const inbound = callback_urls.inbound_url.replace('http://orderbell.test', '');
    const res = await call(inbound, {
      method: 'POST',
      json: [up('TD', '2026-03-02 10:00:00'), up('订阅', '2026-03-02 10:05:00')],
    });
    expect(res.status).toBe(200);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual([]);
    const log = await audit(shop, '?action=customer.opt_out');
    expect(log.data.map((e) => e.changes.source)).toEqual(['sms_reply:aliyun']);
    const ins = await audit(shop, '?action=customer.opt_in');
    expect(ins.data.map((e) => e.changes.source)).toEqual(['sms_reply:aliyun']);
  });
});

describe('email re-subscribe', () => {
  it('the unsubscribed page offers one click back; both are audited', async () => {
    const shop = await createShop('Mail consent shop');
    const buyer = await seedCustomer(shop.shop_id, { email: 'ann@example.com' });
    const m = await seedMessage(shop.shop_id, {
      kind: 'review_request',
      channel: 'email',
      recipient: 'ann@example.com',
      buyerId: buyer.id,
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const out = await call(`/v1/unsubscribe/${shop.shop_id}/${m.id}`, {
      method: 'POST',
      headers: form,
      body: 'List-Unsubscribe=One-Click',
    });
    const page = await out.text();
    expect(page).toContain(`action="/v1/resubscribe/${shop.shop_id}/${m.id}"`);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['email']);
    const back = await call(`/v1/resubscribe/${shop.shop_id}/${m.id}`, {
      method: 'POST',
      headers: form,
      body: 'resubscribe=yes',
    });
    expect(back.status).toBe(200);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual([]);
    expect(
      (await call(`/v1/resubscribe/${shop.shop_id}/${m.id}`, { method: 'POST', headers: form, body: 'x=1' })).status,
    ).toBe(400);
    const outs = await audit(shop, '?action=customer.opt_out');
    const ins = await audit(shop, '?action=customer.opt_in');
    expect(outs.data.map((e) => e.changes)).toEqual([{ channel: 'email', source: 'email_unsubscribe' }]);
    expect(ins.data.map((e) => e.changes)).toEqual([{ channel: 'email', source: 'email_resubscribe' }]);
  });
});

describe('DELETE /v1/customers/{buyer_id}/opt-outs/{channel}', () => {
  it('clears one channel, audited with the key; 404 when not opted out or no such buyer', async () => {
    const shop = await createShop('API consent shop');
    const buyer = await seedCustomer(shop.shop_id, { optedOutChannels: ['sms', 'email'] });
    const del = (id: string, channel: string) =>
      call(`/v1/customers/${encodeURIComponent(id)}/opt-outs/${channel}`, { method: 'DELETE', key: shop.api_key });
    expect((await del(buyer.id, 'sms')).status).toBe(204);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['email']);
    expect((await del(buyer.id, 'sms')).status).toBe(404);
    expect((await del('nobody', 'sms')).status).toBe(404);
    expect((await del(buyer.id, 'pigeon')).status).toBe(400);
    const log = await audit(shop, '?action=customer.opt_in');
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ entity_id: buyer.id, changes: { channel: 'sms', source: 'api' } });
    expect(log.data[0]!.actor_key_id).toMatch(/^key_|^ak_|./);
  });
});

describe('GET /v1/audit', () => {
  it('masks phones and emails, filters by time, and refuses a bad cursor', async () => {
    const shop = await createShop('Audit shop');
    const add = (json: unknown) => call('/v1/blacklist', { method: 'POST', key: shop.api_key, json });
    expect((await add({ type: 'phone', value: '+8613812345678' })).status).toBe(201);
    expect((await add({ type: 'email', value: 'someone@example.com' })).status).toBe(201);
    const log = await audit(shop, '?action=blacklist.add');
    const ids = log.data.map((e) => e.entity_id);
    expect(ids).toHaveLength(2);
    expect(ids.join(' ')).not.toContain('13812345678');
    expect(ids.join(' ')).not.toContain('someone@');
    expect(ids[0]).toMatch(/^email:/);
    expect(ids[1]).toBe('phone:138****5678');
    expect((await audit(shop, `?action=blacklist.add&to=2000-01-01T00:00:00Z`)).data).toEqual([]);
    expect((await call('/v1/audit?cursor=!!', { key: shop.api_key })).status).toBe(400);
  });
});
