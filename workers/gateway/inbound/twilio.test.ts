/** Twilio inbound: the documented signature example, signed status callbacks and SMS replies. */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { seedCredentials, seedCustomer } from '../../../test/helpers/seed';
import { messageRow, optedOut, seedMessage } from '../messages/fixtures';
import { twilioSignature, verifyTwilioSignature } from './twilio-signature';

const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const creds = { accountSid: `AC${'a'.repeat(32)}`, authToken: AUTH_TOKEN, from: '+14155550100' };

async function twilioShop() {
  const shop = await createShop('Twilio shop');
  await seedCredentials(shop.shop_id, 'twilio', 'sms', creds);
  return shop;
}

/** Posts form fields signed the way Twilio signs them (unless `signature` is given). */
async function post(path: string, fields: Record<string, string>, signature?: string) {
  const url = `http://orderbell.test${path}`;
  const header = signature ?? (await twilioSignature(AUTH_TOKEN, url, Object.entries(fields)));
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': header },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('Twilio request signature', () => {
  // https://www.twilio.com/docs/usage/security#validating-requests, and twilio-php's validation guide.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };

  it("reproduces Twilio's documented example exactly", async () => {
    expect(await twilioSignature('12345', url, Object.entries(params))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(await verifyTwilioSignature('12345', url, Object.entries(params), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(
      true,
    );
  });

  it('rejects a changed token, URL, parameter or signature', async () => {
    const good = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(await verifyTwilioSignature('12346', url, Object.entries(params), good)).toBe(false);
    expect(await verifyTwilioSignature('12345', url.replace('https', 'http'), Object.entries(params), good)).toBe(
      false,
    );
    expect(await verifyTwilioSignature('12345', url, Object.entries({ ...params, Digits: '1235' }), good)).toBe(false);
    expect(await verifyTwilioSignature('12345', url, Object.entries(params), 'RSOYDt4T1cUTdK1PDd93/VVr8B9=')).toBe(
      false,
    );
    expect(await verifyTwilioSignature('12345', url, Object.entries(params), undefined)).toBe(false);
  });
});

describe('POST /v1/receipts/{shop_id}/twilio', () => {
  it('applies a signed delivered callback and ignores a late sent one', async () => {
    const shop = await twilioShop();
    const m = await seedMessage(shop.shop_id, { provider: 'twilio', providerMessageId: 'SM100' });
    const path = `/v1/receipts/${shop.shop_id}/twilio`;
    const delivered = await post(path, {
      MessageSid: 'SM100',
      MessageStatus: 'delivered',
      AccountSid: creds.accountSid,
    });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ status: 'applied' });
    const late = await post(path, { MessageSid: 'SM100', MessageStatus: 'sent' });
    expect(await late.json()).toEqual({ status: 'ignored' });
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('delivered');
  });

  it("serves the dispatcher's default StatusCallback URL too, mapping undelivered to failed", async () => {
    const shop = await twilioShop();
    const m = await seedMessage(shop.shop_id, { provider: 'twilio', providerMessageId: 'SM200' });
    const res = await post(`/v1/receipts/${shop.shop_id}`, {
      MessageSid: 'SM200',
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    });
    expect(res.status).toBe(200);
    expect(await messageRow(shop.shop_id, m.id)).toMatchObject({
      status: 'failed',
      lastError: 'twilio 30003 (undelivered)',
    });
  });

  it('rejects a wrong or missing signature with 401 in the error shape and changes nothing', async () => {
    const shop = await twilioShop();
    const m = await seedMessage(shop.shop_id, { provider: 'twilio', providerMessageId: 'SM300' });
    const path = `/v1/receipts/${shop.shop_id}/twilio`;
    const fields = { MessageSid: 'SM300', MessageStatus: 'delivered' };
    const wrong = await post(
      path,
      fields,
      await twilioSignature('not-the-token', `http://orderbell.test${path}`, Object.entries(fields)),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    // Signed for another URL (another shop's path) does not verify here.
    const moved = await post(
      path,
      fields,
      await twilioSignature(AUTH_TOKEN, 'http://orderbell.test/v1/receipts/shop_x/twilio', Object.entries(fields)),
    );
    expect(moved.status).toBe(401);
    const missing = await call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'signature_missing' } });
    expect((await messageRow(shop.shop_id, m.id)).status).toBe('sent');
  });

  it('ignores a signed callback whose status is an inherited property name, and changes nothing', async () => {
    const shop = await twilioShop();
    const m = await seedMessage(shop.shop_id, { provider: 'twilio', providerMessageId: 'SM-proto' });
    const before = await messageRow(shop.shop_id, m.id);
    for (const status of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'no-such-status']) {
      const res = await post(`/v1/receipts/${shop.shop_id}/twilio`, { MessageSid: 'SM-proto', MessageStatus: status });
      expect(res.status, status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ignored' });
    }
    expect(await messageRow(shop.shop_id, m.id)).toEqual(before);
  });

  it('answers 401 for a shop without Twilio credentials', async () => {
    const shop = await createShop('No Twilio');
    const res = await post(`/v1/receipts/${shop.shop_id}/twilio`, { MessageSid: 'SM1', MessageStatus: 'delivered' });
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/inbound/{shop_id}/twilio', () => {
  it('opts the sender out of SMS on an opt-out word and answers empty TwiML', async () => {
    const shop = await twilioShop();
    const buyer = await seedCustomer(shop.shop_id, { phone: '+14155550123' });
    const res = await post(`/v1/inbound/${shop.shop_id}/twilio`, {
      From: '+14155550123',
      To: creds.from,
      Body: 'stop',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['sms']);
  });

  it('leaves an ordinary reply alone, and refuses an unsigned one', async () => {
    const shop = await twilioShop();
    const buyer = await seedCustomer(shop.shop_id, { phone: '+14155550124' });
    const chat = await post(`/v1/inbound/${shop.shop_id}/twilio`, { From: '+14155550124', Body: 'Rice please' });
    expect(chat.status).toBe(200);
    const forged = await post(`/v1/inbound/${shop.shop_id}/twilio`, { From: '+14155550124', Body: 'STOP' }, 'Zm9yZ2Vk');
    expect(forged.status).toBe(401);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual([]);
  });
});
