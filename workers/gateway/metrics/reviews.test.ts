/** `GET /v1/metrics/review-requests`: the review rate and ratings of each day's requests, per variant. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';

const H = 3_600_000;
const day1 = Date.parse('2026-11-20T02:00:00Z'); // 10:00 in Shanghai
const day2 = Date.parse('2026-11-20T17:00:00Z'); // 01:00 on 11-21 in Shanghai

async function message(shopId: string, orderId: string, kind: string, at: number, variant = 'base', status = 'sent') {
  await env.DB.prepare(
    `INSERT INTO messages (id, shop_id, order_id, kind, step, channel, recipient, status, variant, attempts, created_at, updated_at, sent_at)
     VALUES (?, ?, ?, ?, 0, 'sms', '+8613800138000', ?, ?, 1, 0, 0, ?)`,
  )
    .bind(`msg_${kind}_${orderId}`, shopId, orderId, kind, status, variant, at)
    .run();
}

async function review(shopId: string, orderId: string, rating: number, at: number) {
  await env.DB.prepare(
    'INSERT INTO reviews (id, shop_id, order_id, rating, created_at, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(`rev_${orderId}`, shopId, orderId, rating, at, at)
    .run();
}

describe('GET /v1/metrics/review-requests', () => {
  it('gives requests, reminders, reviews, the review rate, the average rating and the negative share', async () => {
    const shop = await createShop('Review metrics');
    const s = shop.shop_id;
    await message(s, 'a1', 'review_request', day1);
    await review(s, 'a1', 5, day1 + H);
    await message(s, 'a2', 'review_request', day1);
    await message(s, 'a2', 'review_reminder', day1 + 96 * H);
    await review(s, 'a2', 2, day1 + 97 * H);
    await message(s, 'a3', 'review_request', day1);
    await message(s, 'a3', 'review_reminder', day1 + 96 * H);
    await message(s, 'a4', 'review_request', day1);
    await review(s, 'a4', 4, day1 - H); // reviewed before the request: not an answer to it
    await message(s, 'b1', 'review_request', day1, 'B');
    await review(s, 'b1', 3, day1 + 2 * H);
    await message(s, 'c1', 'review_request', day2);
    await message(s, 'x1', 'review_request', day1, 'base', 'skipped'); // never sent

    const res = await call('/v1/metrics/review-requests?from=2026-11-19T16:00:00Z&to=2026-11-21T16:00:00Z', {
      key: shop.api_key,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([
      {
        date: '2026-11-20',
        variant: 'B',
        template_version_id: null,
        requests_sent: 1,
        reminders_sent: 0,
        reviews_received: 1,
        review_rate: 1,
        average_rating: 3,
        negative_share: 1,
      },
      {
        date: '2026-11-20',
        variant: 'base',
        template_version_id: null,
        requests_sent: 4,
        reminders_sent: 2,
        reviews_received: 2,
        review_rate: 0.5,
        average_rating: 3.5,
        negative_share: 0.5,
      },
      {
        date: '2026-11-21',
        variant: 'base',
        template_version_id: null,
        requests_sent: 1,
        reminders_sent: 0,
        reviews_received: 0,
        review_rate: 0,
        average_rating: null,
        negative_share: null,
      },
    ]);
  });

  it('rejects a reversed range and is in the OpenAPI document', async () => {
    const shop = await createShop('Review metrics range');
    const bad = await call('/v1/metrics/review-requests?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', {
      key: shop.api_key,
    });
    expect(bad.status).toBe(400);
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/v1/metrics/review-requests']).toHaveProperty('get');
  });
});
