/**
 * Seeded fuzzing of every endpoint that takes external input: the order webhook, the Twilio and
 * Aliyun receivers (receipts and replies), the unsubscribe pages, the address form and the
 * template API. Each case sends a malformed body and sometimes malformed headers, signed where the
 * endpoint is signed (so validation, not only the signature check, is exercised). Assertions: no
 * 5xx, and a rejected request changes no row of the shop.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressLinkToken } from '../../shared/orders/address-link';
import { formParams, twilioSignature } from '../../workers/gateway/inbound/twilio-signature';
import { seedMessage } from '../../workers/gateway/messages/fixtures';
import { orderCreated, orderPaid, sampleAddress } from '../helpers/events';
import { call, createShop, sendEvent, type TestShop } from '../helpers/gateway';
import { seedCredentials } from '../helpers/seed';
import { fuzzBody, fuzzHeaders, rng, type Rng } from './fuzz';
import { cases, suiteSeed } from './scale';

const BASE = 'http://orderbell.test';
const TWILIO_TOKEN = 'twilio-auth-token-for-fuzz';

let shop: TestShop;
let aliyunQuery: string;
let addressPath: string;
let unsubscribePath: string;
let stats: Record<string, { cases: number; statuses: Record<number, number> }> = {};

async function hmacB64(secret: string, bytes: Uint8Array) {
  const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes))));
}

type Case = { method: string; path: string; headers: Record<string, string>; body?: Uint8Array };
type Endpoint = { name: string; make: (r: Rng, n: number) => Promise<Case> };

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const decoder = new TextDecoder();

const endpoints: Endpoint[] = [
  {
    name: 'POST /v1/webhooks/{shop_id}',
    async make(r, n) {
      const valid = r.chance(0.5) ? orderCreated(`fz-${n}`, Date.now()) : orderPaid(`fz-${n}`, Date.now());
      const body = fuzzBody(r, valid);
      const id = r.chance(0.05) ? 'w'.repeat(300) : `fz-${suiteSeed}-${n}`;
      const ts = String(Math.floor(Date.now() / 1000) + (r.chance(0.05) ? 3_600 : 0));
      const signed = new Uint8Array([...new TextEncoder().encode(`${id}.${ts}.`), ...body]);
      const signature = r.chance(0.1) ? 'v1,AAAA' : `v1,${await hmacB64(shop.webhook_secret, signed)}`;
      const headers = { ...json, 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature };
      return { method: 'POST', path: `/v1/webhooks/${shop.shop_id}`, headers: fuzzHeaders(r, headers), body };
    },
  },
  ...['/v1/receipts/{shop}/twilio', '/v1/receipts/{shop}', '/v1/inbound/{shop}/twilio'].map((template) => ({
    name: `POST ${template.replace('{shop}', '{shop_id}')}`,
    async make(r: Rng): Promise<Case> {
      const path = template.replace('{shop}', shop.shop_id);
      const valid = template.includes('inbound')
        ? { From: '+8613800138000', Body: r.pick(['STOP', 'hello', 'TD']) }
        : { MessageSid: 'SM-fuzz', MessageStatus: r.pick(['delivered', 'failed', 'constructor']), ErrorCode: '30003' };
      const mutated = fuzzBody(r, valid);
      // Half the cases as a form of the mutated fields, half as the raw damaged bytes.
      let body: Uint8Array = mutated;
      try {
        const fields = JSON.parse(decoder.decode(mutated)) as Record<string, unknown>;
        if (fields && typeof fields === 'object' && r.chance(0.5)) {
          body = new TextEncoder().encode(
            new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
          );
        }
      } catch {
        // Not JSON any more: send the bytes as they are.
      }
      const signature = await twilioSignature(TWILIO_TOKEN, `${BASE}${path}`, formParams(decoder.decode(body)));
      const headers = fuzzHeaders(r, { ...form, 'x-twilio-signature': r.chance(0.1) ? 'bad' : signature });
      return { method: 'POST', path, headers, body };
    },
  })),
  ...['receipts', 'inbound'].map((kind) => ({
    name: `POST /v1/${kind}/{shop_id}/aliyun`,
    async make(r: Rng): Promise<Case> {
      const valid =
        kind === 'receipts'
          ? [{ out_id: 'msg_x', biz_id: 'b', success: true, report_time: '2026-11-11 10:00:00', err_code: 'DELIVERED' }]
          : [{ phone_number: '13800138000', content: 'TD', send_time: '2026-11-11 10:00:00' }];
      const query = r.chance(0.1) ? '?token=wrong' : aliyunQuery;
      return {
        method: 'POST',
        path: `/v1/${kind}/${shop.shop_id}/aliyun${query}`,
        headers: fuzzHeaders(r, json),
        body: fuzzBody(r, valid),
      };
    },
  })),
  {
    name: 'GET|POST /v1/unsubscribe/{shop_id}/{message_id}',
    async make(r) {
      const path = r.chance(0.2) ? `/v1/unsubscribe/${shop.shop_id}/msg_${'x'.repeat(r.int(300))}` : unsubscribePath;
      if (r.chance(0.3)) return { method: 'GET', path, headers: {} };
      const body = fuzzBody(r, { 'List-Unsubscribe': 'One-Click' });
      return { method: 'POST', path, headers: fuzzHeaders(r, form), body };
    },
  },
  {
    name: 'GET|POST /a/{token}',
    async make(r) {
      const path = r.chance(0.3)
        ? `${addressPath.slice(0, -r.int(5) - 1)}${r.pick(['A', '_', '.', '%ff', '%00'])}`
        : addressPath;
      if (r.chance(0.2))
        return { method: 'GET', path: `${path}?lang=${r.pick(['en', 'xx', '%ff', 'zh-CN'])}`, headers: {} };
      const valid = r.chance(0.5) ? { action: 'confirm' } : { action: 'correct', correction: '应为 6 单元' };
      const mutated = decoder.decode(fuzzBody(r, valid));
      let body: Uint8Array = new TextEncoder().encode(mutated);
      try {
        const fields = JSON.parse(mutated) as Record<string, unknown>;
        if (fields && typeof fields === 'object') {
          body = new TextEncoder().encode(
            new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
          );
        }
      } catch {
        // Damaged bytes go as they are.
      }
      return { method: 'POST', path, headers: fuzzHeaders(r, form), body };
    },
  },
  {
    name: 'POST /v1/templates/preview and versions',
    async make(r) {
      const document = {
        parts: { body: r.pick(['{{ buyer.name }}您好', '{% for i in (1..5) %}{{ i }}{% endfor %}']) },
      };
      const preview = r.chance(0.5);
      const valid = preview ? { kind: 'thank_you', channel: 'sms', locale: 'zh-CN', document } : document;
      const path = preview
        ? '/v1/templates/preview'
        : `/v1/templates/thank_you/sms/${r.pick(['zh-CN', 'en', 'xx-%ff'])}/versions`;
      const headers = fuzzHeaders(r, { ...json, authorization: `Bearer ${shop.api_key}` });
      return { method: 'POST', path, headers, body: fuzzBody(r, valid) };
    },
  },
];

async function shopRows() {
  const tables = [
    'webhook_events',
    'orders',
    'customers',
    'messages',
    'address_responses',
    'templates',
    'template_versions',
  ];
  const sql = `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t} WHERE shop_id = ?1) AS ${t}`).join(', ')}`;
  const counts = await env.DB.prepare(sql).bind(shop.shop_id).first<Record<string, number>>();
  // Opt-outs change a customer row without adding one: compare its contents too.
  const optOuts = await env.DB.prepare('SELECT group_concat(opted_out_channels) AS o FROM customers WHERE shop_id = ?')
    .bind(shop.shop_id)
    .first<{ o: string | null }>();
  return { ...counts, optOuts: optOuts?.o ?? '' };
}

beforeAll(async () => {
  shop = await createShop('Fuzz');
  await seedCredentials(shop.shop_id, 'twilio', 'sms', {
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: TWILIO_TOKEN,
    from: '+14155550100',
  });
  const creds = { accessKeyId: 'LTAI-fuzz', accessKeySecret: 'fuzz-secret', signName: '茶小铺' };
  const put = await call('/v1/delivery/providers/aliyun_sms', { method: 'PUT', key: shop.api_key, json: creds });
  const urls = ((await put.json()) as { callback_urls: { receipts_url: string } }).callback_urls;
  aliyunQuery = new URL(urls.receipts_url).search;
  const orderId = 'fz-address';
  const created = orderCreated(orderId, Date.now() - 60_000, { shipping_address: sampleAddress });
  expect((await sendEvent(shop, created)).status).toBe(202);
  const token = await addressLinkToken(env.ENCRYPTION_KEY, { shopId: shop.shop_id, orderId });
  addressPath = `/a/${token}`;
  const m = await seedMessage(shop.shop_id, { channel: 'email', recipient: 'fuzz@example.com' });
  unsubscribePath = `/v1/unsubscribe/${shop.shop_id}/${m.id}`;
  stats = {};
});

describe('fuzzing the edges', () => {
  const total = cases(540, 6_300);
  it(`answers ${total} malformed requests without a 5xx and stores nothing for a rejection (seed ${suiteSeed})`, async () => {
    const r = rng(suiteSeed);
    let sent = 0;
    for (let n = 0; n < total; n++) {
      const endpoint = endpoints[n % endpoints.length]!;
      const c = await endpoint.make(r, n);
      let request: Request;
      try {
        request = new Request(`${BASE}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
      } catch {
        continue; // a header no HTTP client could send
      }
      const before = await shopRows();
      const res = await call(c.path, { method: c.method, headers: request.headers, body: c.body });
      await res.arrayBuffer();
      sent++;
      const s = (stats[endpoint.name] ??= { cases: 0, statuses: {} });
      s.cases++;
      s.statuses[res.status] = (s.statuses[res.status] ?? 0) + 1;
      const context = `case ${n} (seed ${suiteSeed}) ${c.method} ${c.path}: ${res.status}`;
      expect(res.status, context).toBeLessThan(500);
      if (res.status >= 400) expect(await shopRows(), context).toEqual(before);
    }
    console.log(`fuzz: ${sent} requests, seed ${suiteSeed}, ${JSON.stringify(stats)}`);
    expect(sent).toBeGreaterThan(total * 0.9);
    // Every endpoint was reached and answered more than one way (the fuzzer gets past the front door).
    for (const e of endpoints) expect(Object.keys(stats[e.name]?.statuses ?? {}).length, e.name).toBeGreaterThan(1);
  }, 3_600_000);
});
