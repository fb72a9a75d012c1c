/**
 * The Aliyun SMS adapter's exact requests (clock and SignatureNonce pinned), its
 * error classification, number format, credentials schema and lookup mapping.
 * The SendSms URL below was computed independently (Python hmac + urllib.quote);
 * outbound HTTP is the scripted fetch of ./lib/testing, which refuses unscripted calls.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aliyunCredentials, aliyunPhone, aliyunSms } from './aliyun-sms';
import { signedQuery } from './lib/aliyun-rpc';
import { contextWith, fakeFetch, json, outbound, type FakeFetch } from './lib/testing';
import { ProviderError } from './types';

const NONCE = '5f0e6c7a-9d1b-4c3e-8f00-000000000001';
const creds = aliyunCredentials.parse({
  accessKeyId: 'LTAItest',
  accessKeySecret: 'testsecretvalue',
  signName: '【茶小铺】',
  templates: {
    thank_you: {
      templateCode: 'SMS_123456789',
      params: { name: 'buyer.name', order: 'order.number', item: 'order.items[0].title' },
    },
  },
});
const message = outbound({
  kind: 'thank_you',
  channel: 'sms',
  recipient: '+8613800138000',
  rendered: { body: 'not sent: Aliyun sends the approved template' },
  data: { buyer: { name: '王小明' }, order: { number: 'A1001', items: [{ title: '明前龙井 250g' }] } },
});
const SEND_URL =
  'https://dysmsapi.aliyuncs.com/?Signature=IcO3zLDHbP2Gu3b9IoZnTFHYPSg%3D&AccessKeyId=LTAItest&Action=SendSms&Format=JSON' +
  '&OutId=msg_01TEST&PhoneNumbers=13800138000&RegionId=cn-hangzhou&SignName=%E8%8C%B6%E5%B0%8F%E9%93%BA' +
  '&SignatureMethod=HMAC-SHA1&SignatureNonce=5f0e6c7a-9d1b-4c3e-8f00-000000000001&SignatureVersion=1.0' +
  '&TemplateCode=SMS_123456789&TemplateParam=%7B%22name%22%3A%22%E7%8E%8B%E5%B0%8F%E6%98%8E%22%2C%22order%22%3A%22A1001%22' +
  '%2C%22item%22%3A%22%E6%98%8E%E5%89%8D%E9%BE%99%E4%BA%95%20250g%22%7D&Timestamp=2026-03-01T08%3A00%3A00Z&Version=2017-05-25';
const BIZ = '900619746936498440^0';
const ok = () => json({ Code: 'OK', Message: 'OK', BizId: BIZ, RequestId: 'F655A8D5' });
/** The common parameters of that request, reused for the QuerySendDetails requests. */
const { Signature, Action, OutId, PhoneNumbers, SignName, TemplateCode, TemplateParam, ...common } = Object.fromEntries(
  new URL(SEND_URL).searchParams,
);
/** A QuerySendDetails URL, signed by the signer verified against Aliyun's published examples. */
const queryUrl = async (params: Record<string, string>) =>
  `https://dysmsapi.aliyuncs.com/?${await signedQuery({ ...common, Action: 'QuerySendDetails', PhoneNumber: '13800138000', ...params }, 'testsecretvalue')}`;
const details = (total: number, ...rows: object[]) =>
  json({ Code: 'OK', TotalCount: total, SmsSendDetailDTOs: { SmsSendDetailDTO: rows } });
/** Every request the adapter made, as method and URL; nothing else may leave. */
const calls = (fake: FakeFetch) => {
  fake.assertDone();
  return fake.requests.map((r) => `${r.method} ${r.url}`);
};

beforeEach(() => void vi.spyOn(crypto, 'randomUUID').mockReturnValue(NONCE));
afterEach(() => void vi.restoreAllMocks());

describe('aliyunSms.send', () => {
  it('sends SendSms exactly as documented, with OutId = message id', async () => {
    const fake = fakeFetch(ok());
    const result = { providerMessageId: BIZ, status: 'sent' };
    expect(await aliyunSms.send(message, creds, contextWith(fake))).toEqual(result);
    fake.assertDone();
    expect(fake.requests).toEqual([{ method: 'GET', url: SEND_URL, headers: {}, body: '', redirect: 'follow' }]);
    expect(new URL(SEND_URL).searchParams.get('OutId')).toBe(message.id);
  });

  it('converts E.164 to the bare mainland number or country code + number', async () => {
    const converted = ['+8613800138000', '+85261234567', '+14155550100'].map(aliyunPhone);
    expect(converted).toEqual(['13800138000', '85261234567', '14155550100']);
    for (const bad of ['13800138000', '+0861380', '']) expect(() => aliyunPhone(bad)).toThrow(ProviderError);
  });

  it.each([
    ['isv.MOBILE_NUMBER_ILLEGAL', 200, 'permanent'],
    ['isv.BUSINESS_LIMIT_CONTROL', 200, 'transient'],
    ['SignatureDoesNotMatch', 400, 'permanent'],
    ['Throttling.User', 400, 'transient'],
    ['isp.SYSTEM_ERROR', 500, 'transient'],
  ])('classifies Code %s (HTTP %i) as %s', async (code, status, kind) => {
    const fake = fakeFetch(json({ Code: code, Message: 'x', RequestId: 'r' }, status));
    const error = await aliyunSms.send(message, creds, contextWith(fake)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind, options: { code, status } });
    expect(calls(fake)).toEqual([`GET ${SEND_URL}`]);
  });

  it('treats a non-JSON 503 as transient and keeps Retry-After', async () => {
    const fake = fakeFetch(new Response('<html>busy</html>', { status: 503, headers: { 'retry-after': '7' } }));
    await expect(aliyunSms.send(message, creds, contextWith(fake))).rejects.toMatchObject({
      kind: 'transient',
      options: { status: 503, retryAfterMs: 7000 },
    });
  });

  it('fails permanently, without a request, when the kind has no TemplateCode or a param has no value', async () => {
    const fake = fakeFetch();
    await expect(aliyunSms.send({ ...message, kind: 'shipped' }, creds, contextWith(fake))).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('no approved TemplateCode configured for kind "shipped"'),
    });
    await expect(aliyunSms.send({ ...message, data: { buyer: {} } }, creds, contextWith(fake))).rejects.toMatchObject({
      kind: 'permanent',
      options: { code: 'template_param_missing' },
    });
    expect(calls(fake)).toEqual([]);
  });
});

describe('aliyunCredentials', () => {
  it('requires the keys and sign name, defaults endpoint and region, strips 【】', () => {
    const keys = { accessKeyId: 'a', accessKeySecret: 'b', signName: '【茶小铺】' };
    for (const missing of ['accessKeyId', 'accessKeySecret', 'signName'] as const) {
      const { [missing]: _, ...rest } = keys;
      expect(aliyunCredentials.safeParse(rest).success).toBe(false);
    }
    const unknownKind = { ...keys, templates: { no_such_kind: { templateCode: 'SMS_1' } } };
    expect(aliyunCredentials.safeParse(unknownKind).success).toBe(false);
    const defaults = { endpoint: 'https://dysmsapi.aliyuncs.com', regionId: 'cn-hangzhou', templates: {} };
    expect(aliyunCredentials.parse(keys)).toEqual({ ...keys, signName: '茶小铺', ...defaults });
  });
});

describe('aliyunSms.lookup', () => {
  it.each([
    [1, 'sent'],
    [2, 'failed'],
    [3, 'delivered'],
  ] as const)('maps SendStatus %i to %s by BizId', async (sendStatus, status) => {
    const fake = fakeFetch(details(1, { SendStatus: sendStatus, OutId: message.id }));
    const result = await aliyunSms.lookup({ ...message, providerMessageId: BIZ }, creds, contextWith(fake));
    expect(result).toEqual({ status, providerMessageId: BIZ });
    const url = await queryUrl({ SendDate: '20260301', PageSize: '10', CurrentPage: '1', BizId: BIZ });
    expect(calls(fake)).toEqual([`GET ${url}`]);
  });

  it('without a BizId, matches OutId in the day records, then tries the previous China day', async () => {
    const today = `GET ${await queryUrl({ SendDate: '20260301', PageSize: '50', CurrentPage: '1' })}`;
    const yesterday = `GET ${await queryUrl({ SendDate: '20260228', PageSize: '50', CurrentPage: '1' })}`;
    const other = { SendStatus: 3, OutId: 'msg_other' };
    let fake = fakeFetch(details(2, other, { SendStatus: 1, OutId: message.id }));
    // A record found by OutId carries no BizId; see aliyun-sms.ts.
    expect(await aliyunSms.lookup(message, creds, contextWith(fake))).toEqual({
      status: 'sent',
      providerMessageId: '',
    });
    expect(calls(fake)).toEqual([today]);
    fake = fakeFetch(details(1, other), details(0));
    expect(await aliyunSms.lookup(message, creds, contextWith(fake))).toEqual({ status: 'unknown' });
    expect(calls(fake)).toEqual([today, yesterday]);
  });
});
