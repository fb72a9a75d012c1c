/** The SMS price per part (delivery settings) and the cost per message it gives previews. */
import { beforeAll, describe, expect, it } from 'vitest';
import { smsCost } from '../../../shared/delivery/settings';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { issueKey, previewOf, sms } from '../../../test/helpers/templates';

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('茶小铺');
});

const putPrice = (sms_price: unknown) =>
  call('/v1/delivery/settings', { method: 'PUT', key: shop.api_key, json: { sms_price } });

describe('sms_price', () => {
  it('computes costs exactly in decimals', () => {
    expect(smsCost({ per_part: '0.045', currency: 'CNY' }, 1)).toBe('0.045');
    expect(smsCost({ per_part: '0.045', currency: 'CNY' }, 3)).toBe('0.135');
    expect(smsCost({ per_part: '0.1', currency: 'CNY' }, 3)).toBe('0.30');
    expect(smsCost({ per_part: '2', currency: 'USD' }, 2)).toBe('4.00');
  });

  it('rejects a malformed price with the field path', async () => {
    const res = await putPrice({ per_part: '4.5¥', currency: 'CNY' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toContain('sms_price.per_part');
  });

  it('gives every SMS preview its cost, also to a templates-only key', async () => {
    expect((await putPrice({ per_part: '0.045', currency: 'CNY' })).status).toBe(200);
    const { key } = await issueKey(shop, ['templates']);
    const long = '您好'.repeat(40); // 80 UCS-2 characters plus the signature: two parts
    const res = await previewOf(key, { kind: 'thank_you', channel: 'sms', locale: 'zh-CN', document: sms(long) });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { sms: { segments: number; cost: { amount: string; currency: string } } };
    expect(out.sms.segments).toBe(2);
    expect(out.sms.cost).toEqual({ amount: '0.09', currency: 'CNY' });
  });
});
