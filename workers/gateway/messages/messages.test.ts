/** GET /v1/messages and /v1/messages/{id}: filters, newest-first cursor pages, tenant isolation. */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { issueKey } from '../../../test/helpers/templates';
import { seedMessage } from './fixtures';

type Summary = { id: string; order_id: string; kind: string; status: string; channel: string; created_at: string };
type Page = { data: Summary[]; next_cursor: string | null };

let shop: TestShop;
let reader: string;
const ids: string[] = [];
beforeAll(async () => {
  shop = await createShop('Messages');
  reader = (await issueKey(shop, ['read'])).key;
  const rows: Parameters<typeof seedMessage>[1][] = [
    { orderId: 'o-1', kind: 'shipped', status: 'delivered', channel: 'sms' },
    { orderId: 'o-1', kind: 'delivered', status: 'dead', channel: 'sms', reason: 'retries_exhausted' },
    { orderId: 'o-2', kind: 'review_request', status: 'skipped', channel: 'email', reason: 'opted_out' },
    { orderId: 'o-2', kind: 'shipped', status: 'queued', channel: 'email' },
    { orderId: 'o-3', kind: 'shipped', status: 'failed', channel: 'sms' },
  ];
  for (const row of rows) ids.push((await seedMessage(shop.shop_id, row)).id);
});

const list = async (query: string, key = reader): Promise<Page> => {
  const res = await call(`/v1/messages${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
};

describe('GET /v1/messages', () => {
  it("lists the shop's messages newest first", async () => {
    const page = await list('');
    expect(page.data.map((m) => m.id)).toEqual([...ids].reverse());
    expect(page.next_cursor).toBeNull();
  });

  it('filters by order, kind, status and channel', async () => {
    expect((await list('?order_id=o-1')).data.map((m) => m.id)).toEqual([ids[1], ids[0]]);
    expect((await list('?kind=shipped')).data.map((m) => m.id)).toEqual([ids[4], ids[3], ids[0]]);
    expect((await list('?status=dead')).data.map((m) => m.id)).toEqual([ids[1]]);
    expect((await list('?channel=email&kind=shipped')).data.map((m) => m.id)).toEqual([ids[3]]);
  });

  it('filters by reason', async () => {
    expect((await list('?reason=opted_out')).data.map((m) => m.id)).toEqual([ids[2]]);
    expect((await call('/v1/messages?reason=bored', { key: reader })).status).toBe(400);
  });

  it('filters by creation time, from inclusive and to exclusive', async () => {
    const all = (await list('')).data.reverse();
    const from = encodeURIComponent(all[1]!.created_at);
    const to = encodeURIComponent(all[3]!.created_at);
    expect((await list(`?from=${from}&to=${to}`)).data.map((m) => m.id)).toEqual([ids[2], ids[1]]);
  });

  it('pages with a cursor until the end, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((m) => m.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('rejects unknown filter values, a bad cursor and a limit over 100 with 400', async () => {
    for (const query of [
      '?status=lost',
      '?channel=fax',
      '?kind=nope',
      '?limit=101',
      '?cursor=bogus',
      '?cursor=YWJj',
      '?from=yesterday',
    ]) {
      const res = await call(`/v1/messages${query}`, { key: reader });
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('requires a key, and shows another shop nothing', async () => {
    expect((await call('/v1/messages')).status).toBe(401);
    const other = await createShop('Other');
    expect((await list('', other.api_key)).data).toEqual([]);
  });
});

describe('GET /v1/messages/{message_id}', () => {
  it('returns the detail with content, status and reason', async () => {
    const res = await call(`/v1/messages/${ids[1]}`, { key: reader });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: ids[1],
      order_id: 'o-1',
      kind: 'delivered',
      status: 'dead',
      reason: 'retries_exhausted',
      rendered: { body: '您的包裹已发出' },
      attempts: 1,
    });
  });

  it("answers 404 for another shop's message and for an unknown id", async () => {
    const other = await createShop('Other');
    const res = await call(`/v1/messages/${ids[0]}`, { key: other.api_key });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await call('/v1/messages/msg_unknown', { key: reader })).status).toBe(404);
  });
});
