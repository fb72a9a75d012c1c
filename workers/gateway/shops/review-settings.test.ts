/** `PATCH /v1/shop` `review_requests`: defaults, validation with paths, and the OpenAPI entry. */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';

const patch = (key: string, review_requests: unknown) =>
  call('/v1/shop', { method: 'PATCH', key, json: { review_requests } });

describe('review request settings', () => {
  it('has defaults, takes a change and shows it', async () => {
    const shop = await createShop('Review settings');
    const before = (await (await call('/v1/shop', { key: shop.api_key })).json()) as Record<string, unknown>;
    expect(before.review_requests).toEqual({
      delay_days: 3,
      reminder: true,
      reminder_gap_days: 4,
      window_days: 30,
      negative_threshold: 3,
      care: true,
      thanks: false,
      review_url: null,
    });
    const res = await patch(shop.api_key, {
      delay_days: 0,
      thanks: true,
      review_url: 'https://shop.example/r/{order_id}',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Record<string, unknown>).review_requests).toMatchObject({
      delay_days: 0,
      thanks: true,
      reminder_gap_days: 4,
      review_url: 'https://shop.example/r/{order_id}',
    });
  });

  it('rejects bad values with their paths and changes nothing', async () => {
    const shop = await createShop('Bad review settings');
    for (const [body, path] of [
      [{ delay_days: -1 }, 'review_requests.delay_days'],
      [{ negative_threshold: 5 }, 'review_requests.negative_threshold'],
      [{ reminder_gap_days: 10, window_days: 10 }, 'review_requests.reminder_gap_days'],
      [{ review_url: 'javascript:alert(1)' }, 'review_requests.review_url'],
      [{ delay: 1 }, 'review_requests'],
    ] as const) {
      const res = await patch(shop.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as { error: { details: { path: string }[] } }).error;
      expect(error.details.map((d) => d.path)).toContain(path);
    }
    const after = (await (await call('/v1/shop', { key: shop.api_key })).json()) as {
      review_requests: { delay_days: number };
    };
    expect(after.review_requests.delay_days).toBe(3);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.components.schemas.ReviewRequestSettings!.properties)).toEqual(
      expect.arrayContaining([
        'delay_days',
        'reminder_gap_days',
        'window_days',
        'negative_threshold',
        'care',
        'thanks',
      ]),
    );
  });
});
