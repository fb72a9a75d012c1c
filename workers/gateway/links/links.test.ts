import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../../shared/db/client';
import { messages, shops, shortLinks, type Shop } from '../../../shared/db/schema';
import { planMany, planMessage, prepareMessage, type PlanRequest } from '../../../shared/delivery/plan';
import { compose } from '../../../shared/delivery/compose';
import { SHORT_LINK_TTL_MS } from '../../../shared/links/shorten';
import { sampleData } from '../../../shared/templates/catalogue';
import { call, createShop } from '../../../test/helpers/gateway';
import { seedCustomer, seedOrder } from '../../../test/helpers/seed';

const CONFIRM = 'https://shop.example/a/very-long-signed-address-token-0123456789abcdefghijklmnopqrstuvwxyz';
const SHORT = new RegExp(`${env.PUBLIC_URL.replace(/[.]/g, '\\.')}/s/([0-9A-Za-z]{8})`, 'g');

async function setup(name: string) {
  const made = await createShop(name);
  const shop = (await db(env.DB).query.shops.findFirst({ where: eq(shops.id, made.shop_id) })) as Shop;
  const buyer = await seedCustomer(shop.id);
  return { made, shop, buyer };
}

function thankYou(shop: Shop, buyer: Awaited<ReturnType<typeof seedCustomer>>, orderId: string): PlanRequest {
  const data = sampleData('thank_you');
  (data.address as Record<string, unknown>).confirm_url = CONFIRM;
  return {
    shop,
    orderId,
    customer: buyer,
    kind: 'thank_you',
    locale: 'zh-CN',
    data,
    audience: { returning: false },
    publicUrl: env.PUBLIC_URL,
  };
}

const linksOf = (shopId: string, messageId: string) =>
  db(env.DB)
    .select()
    .from(shortLinks)
    .where(and(eq(shortLinks.shopId, shopId), eq(shortLinks.messageId, messageId)));

const open = (code: string, method = 'GET') => call(`/s/${code}`, { method, redirect: 'manual' });

describe('short links at planning', () => {
  it('stores the SMS text with its short link and the link row, keyed to the message', async () => {
    const { shop, buyer } = await setup('Links plan');
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const now = new Date('2026-11-20T03:00:00Z');
    const planned = await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id), now);
    expect(planned).toMatchObject({ status: 'queued', duplicate: false });
    const row = (await db(env.DB).query.messages.findFirst({ where: eq(messages.id, planned.id) }))!;
    expect(row.channel).toBe('sms');
    const body = (row.rendered as { body: string }).body;
    const codes = [...body.matchAll(SHORT)].map((m) => m[1]!);
    expect(codes).toHaveLength(1);
    expect(body).not.toContain(CONFIRM);
    // The stored values, which a template-based provider (Aliyun) sends, carry the short link too.
    expect((row.data as { address: { confirm_url: string } }).address.confirm_url).toBe(
      `${env.PUBLIC_URL}/s/${codes[0]}`,
    );
    expect((row.data as { order: unknown }).order).toEqual(sampleData('thank_you').order);
    expect(await linksOf(shop.id, planned.id)).toEqual([
      {
        code: codes[0],
        shopId: shop.id,
        messageId: planned.id,
        kind: 'thank_you',
        variant: 'base',
        destination: CONFIRM,
        expiresAt: new Date(now.getTime() + SHORT_LINK_TTL_MS),
        clicks: 0,
        firstClickAt: null,
        lastClickAt: null,
        createdAt: now,
      },
    ]);

    // Planned again: the business key exists, so neither the message nor its new link is written.
    const again = await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id), now);
    expect(again.duplicate).toBe(true);
    const all = await db(env.DB).select().from(shortLinks).where(eq(shortLinks.shopId, shop.id));
    expect(all.map((l) => l.code)).toEqual(codes);
  });

  it('writes nothing, message or link, when the batch fails', async () => {
    const { shop, buyer } = await setup('Links atomic');
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const prepared = await prepareMessage(db(env.DB), thankYou(shop, buyer, order.id));
    expect(prepared.shortLinks).toHaveLength(1);
    const failing = env.DB.prepare('INSERT INTO shops (id) VALUES (NULL)');
    await expect(planMany(env.DB, undefined, [prepared], [failing])).rejects.toThrow();
    expect(await db(env.DB).query.messages.findFirst({ where: eq(messages.id, prepared.row.id!) })).toBeUndefined();
    expect(await linksOf(shop.id, prepared.row.id!)).toEqual([]);

    // The same batch without the failing statement writes both (the path a pass of reminders takes).
    const [result] = await planMany(env.DB, undefined, [prepared], []);
    expect(result).toMatchObject({ id: prepared.row.id, duplicate: false });
    expect((await linksOf(shop.id, prepared.row.id!)).map((l) => l.code)).toEqual(
      prepared.shortLinks!.map((l) => l.code),
    );
  });

  it('leaves links in an email text as they are', async () => {
    const { shop } = await setup('Links email');
    const data = sampleData('thank_you');
    (data.address as Record<string, unknown>).confirm_url = CONFIRM;
    const input = { shop, kind: 'thank_you' as const, locale: 'zh-CN', data, audience: { returning: false } };
    const email = await compose(db(env.DB), { ...input, seed: 'o', channel: 'email', shortLinksOn: env.PUBLIC_URL });
    expect(email.links).toEqual([]);
    expect(JSON.stringify(email.rendered)).toContain(CONFIRM);
  });
});

describe('GET /s/{code}', () => {
  it('redirects a live link and counts each click on its row', async () => {
    const { shop, buyer } = await setup('Links open');
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const planned = await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id));
    const [link] = await linksOf(shop.id, planned.id);

    const first = await open(link!.code);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(CONFIRM);
    expect(first.headers.get('cache-control')).toBe('no-store');
    // The answer names the destination and nothing of the shop or the message.
    const answer = JSON.stringify([...first.headers]) + (await first.text());
    expect(answer).not.toContain(shop.id);
    expect(answer).not.toContain(planned.id);
    const [once] = await linksOf(shop.id, planned.id);
    expect(once!.clicks).toBe(1);
    expect(once!.firstClickAt).not.toBeNull();
    expect(once!.lastClickAt).toEqual(once!.firstClickAt);

    // A previewer's HEAD is not a click.
    expect((await open(link!.code, 'HEAD')).status).toBe(302);
    await new Promise((r) => setTimeout(r, 5));
    expect((await open(link!.code)).status).toBe(302);
    const [twice] = await linksOf(shop.id, planned.id);
    expect(twice!.clicks).toBe(2);
    expect(twice!.firstClickAt).toEqual(once!.firstClickAt);
    expect(twice!.lastClickAt!.getTime()).toBeGreaterThan(once!.lastClickAt!.getTime());
  });

  it('answers 410 for an expired link without counting, and 404 for an unknown or malformed code', async () => {
    const { shop, buyer } = await setup('Links expired');
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const longAgo = new Date(Date.now() - SHORT_LINK_TTL_MS - 60_000);
    const planned = await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id), longAgo);
    const [link] = await linksOf(shop.id, planned.id);
    expect(link!.expiresAt.getTime()).toBeLessThan(Date.now());

    const gone = await open(link!.code);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBeNull();
    expect(await gone.text()).toContain('expired');
    expect((await linksOf(shop.id, planned.id))[0]!.clicks).toBe(0);

    expect((await open('Zz9Zz9Zz')).status).toBe(404);
    expect((await open('short')).status).toBe(404);
    expect((await open('abc%24defg')).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/s/{code}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/v1/metrics/clicks']!)).toEqual(['get']);
  });
});

describe('GET /v1/metrics/clicks', () => {
  it('counts messages, clicked messages and clicks per kind and variant', async () => {
    const { made, shop, buyer } = await setup('Links metrics');
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
      ids.push((await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id), now)).id);
    }
    // A text of another variant: the row says which variant carried the link.
    const order = await seedOrder(shop.id, buyer.id, { state: 'paid' });
    const b = await planMessage(db(env.DB), undefined, thankYou(shop, buyer, order.id), now);
    await db(env.DB).update(shortLinks).set({ variant: 'B' }).where(eq(shortLinks.messageId, b.id));

    const code = async (id: string) => (await linksOf(shop.id, id))[0]!.code;
    await open(await code(ids[0]!));
    await open(await code(ids[0]!));
    await open(await code(ids[1]!));
    await open(await code(b.id));

    const from = new Date(now.getTime() - 60_000).toISOString();
    const to = new Date(now.getTime() + 60_000).toISOString();
    const res = await call(`/v1/metrics/clicks?from=${from}&to=${to}`, { key: made.api_key });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([
      { kind: 'thank_you', variant: 'B', messages: 1, messages_clicked: 1, clicks: 1, click_rate: 1 },
      { kind: 'thank_you', variant: 'base', messages: 3, messages_clicked: 2, clicks: 3, click_rate: 0.6667 },
    ]);

    const other = await createShop('Links metrics other');
    const none = await call(`/v1/metrics/clicks?from=${from}&to=${to}`, { key: other.api_key });
    expect(((await none.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await call(`/v1/metrics/clicks?from=${to}&to=${from}`, { key: made.api_key })).status).toBe(400);
  });
});
