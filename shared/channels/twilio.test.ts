/**
 * The Twilio adapter's exact requests (Messages API 2010-04-01), its error
 * classification, credentials schema and lookup mapping. The Basic credentials and
 * form body below were computed independently (Python base64 + urlencode);
 * outbound HTTP is the scripted fetch of ./lib/testing, which refuses unscripted calls.
 */
import { describe, expect, it } from 'vitest';
import { contextWith, fakeFetch, json, outbound, type FakeFetch } from './lib/testing';
import { twilio, twilioCredentials } from './twilio';
import { ProviderError } from './types';

const SID = 'AC0123456789abcdef0123456789abcdef';
const creds = twilioCredentials.parse({ accountSid: SID, authToken: 'test-auth-token', from: '+14155550100' });
const URL_CREATE = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const MESSAGE_SID = 'SM0123456789abcdef0123456789abcdef';
const URL_FETCH = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/${MESSAGE_SID}.json`;
const AUTH = 'Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0ZXN0LWF1dGgtdG9rZW4=';
const message = outbound({
  channel: 'sms',
  recipient: '+8613800138000',
  rendered: { body: '【茶小铺】王小明，您的订单 A1001 已发货。回复T退订' },
  statusCallbackUrl: 'https://orderbell.example/v1/receipts/twilio?m=msg_01TEST',
});
const created = () => json({ sid: MESSAGE_SID, status: 'queued', error_code: null }, 201);
/** Every request the adapter made, as method and URL; nothing else may leave. */
const calls = (fake: FakeFetch) => {
  fake.assertDone();
  return fake.requests.map((r) => `${r.method} ${r.url}`);
};

describe('twilio.send', () => {
  it('creates a Message with Basic auth, a form body and the status callback', async () => {
    const fake = fakeFetch(created());
    expect(await twilio.send(message, creds, contextWith(fake))).toEqual({
      providerMessageId: MESSAGE_SID,
      status: 'sent',
    });
    fake.assertDone();
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        url: URL_CREATE,
        headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body:
          'To=%2B8613800138000&From=%2B14155550100&Body=%E3%80%90%E8%8C%B6%E5%B0%8F%E9%93%BA%E3%80%91%E7%8E%8B%E5%B0%8F%E6%98%8E' +
          '%EF%BC%8C%E6%82%A8%E7%9A%84%E8%AE%A2%E5%8D%95+A1001+%E5%B7%B2%E5%8F%91%E8%B4%A7%E3%80%82%E5%9B%9E%E5%A4%8DT%E9%80%80%E8%AE%A2' +
          '&StatusCallback=https%3A%2F%2Forderbell.example%2Fv1%2Freceipts%2Ftwilio%3Fm%3Dmsg_01TEST',
        redirect: 'follow',
      },
    ]);
  });

  it('sends through a Messaging Service instead of From, and omits an absent callback', async () => {
    const viaService = twilioCredentials.parse({
      accountSid: SID,
      authToken: 'test-auth-token',
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
    });
    const fake = fakeFetch(created());
    await twilio.send(
      { ...message, rendered: { body: 'Hi' }, statusCallbackUrl: undefined },
      viaService,
      contextWith(fake),
    );
    expect(fake.requests[0]!.body).toBe(
      'To=%2B8613800138000&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&Body=Hi',
    );
    expect(calls(fake)).toEqual([`POST ${URL_CREATE}`]);
  });

  it.each([
    [400, 21211, {}, 'permanent', undefined],
    [400, 21610, {}, 'permanent', undefined],
    [400, 21408, {}, 'permanent', undefined],
    [401, 20003, {}, 'permanent', undefined],
    [429, 20429, { 'retry-after': '30' }, 'transient', 30_000],
    [500, 20500, {}, 'transient', undefined],
    [503, 20503, { 'retry-after': '5' }, 'transient', 5_000],
  ])('classifies HTTP %i with Twilio error %i', async (status, code, headers, kind, retryAfterMs) => {
    const body = { code, message: 'x', more_info: `https://www.twilio.com/docs/errors/${code}`, status };
    const fake = fakeFetch(json(body, status, headers));
    const error = await twilio.send(message, creds, contextWith(fake)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind, options: { status, code: String(code), retryAfterMs } });
    expect(calls(fake)).toEqual([`POST ${URL_CREATE}`]);
  });
});

describe('twilioCredentials', () => {
  it('requires the account SID, auth token, and a sender', () => {
    expect(twilioCredentials.safeParse({ authToken: 't', from: '+14155550100' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ accountSid: SID, from: '+14155550100' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ accountSid: SID, authToken: 't' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ accountSid: SID, authToken: 't', from: '4155550100' }).success).toBe(false);
    expect(creds.baseUrl).toBe('https://api.twilio.com');
  });
});

describe('twilio.lookup', () => {
  it.each([
    ['queued', 'sent'],
    ['accepted', 'sent'],
    ['sending', 'sent'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['failed', 'failed'],
    ['undelivered', 'failed'],
  ])('maps status %s to %s', async (twilioStatus, status) => {
    const fake = fakeFetch(json({ sid: MESSAGE_SID, status: twilioStatus }));
    expect(await twilio.lookup({ ...message, providerMessageId: MESSAGE_SID }, creds, contextWith(fake))).toEqual({
      status,
      providerMessageId: MESSAGE_SID,
    });
    expect(fake.requests[0]!.headers).toEqual({ authorization: AUTH });
    expect(calls(fake)).toEqual([`GET ${URL_FETCH}`]);
  });

  it('is unknown without a SID (no request) or when Twilio no longer has it', async () => {
    let fake = fakeFetch();
    expect(await twilio.lookup({ ...message, providerMessageId: null }, creds, contextWith(fake))).toEqual({
      status: 'unknown',
    });
    expect(calls(fake)).toEqual([]);
    fake = fakeFetch(json({ code: 20404, message: 'not found', status: 404 }, 404));
    expect(await twilio.lookup({ ...message, providerMessageId: MESSAGE_SID }, creds, contextWith(fake))).toEqual({
      status: 'unknown',
    });
    expect(calls(fake)).toEqual([`GET ${URL_FETCH}`]);
  });
});
