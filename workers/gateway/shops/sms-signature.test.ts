import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';

const patch = (key: string, json: unknown) => call('/v1/shop', { method: 'PATCH', key, json });

describe('SMS signature setting', () => {
  it('stores the signature in 【】 brackets, with its position, and clears it with null', async () => {
    const shop = await createShop('Signature');
    const initial = (await (await call('/v1/shop', { key: shop.api_key })).json()) as Record<string, unknown>;
    expect(initial).toMatchObject({ sms_signature: null, sms_signature_position: 'start' });

    const res = await patch(shop.api_key, { sms_signature: '茶小铺', sms_signature_position: 'end' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sms_signature: '【茶小铺】', sms_signature_position: 'end' });
    expect(await (await patch(shop.api_key, { sms_signature: '【茶小铺】' })).json()).toMatchObject({
      sms_signature: '【茶小铺】',
    });

    const cleared = await patch(shop.api_key, { sms_signature: null });
    expect(await cleared.json()).toMatchObject({ sms_signature: null });
  });

  it.each(['茶', '【茶小铺', 'x'.repeat(13), '【】'])('rejects %j', async (value) => {
    const shop = await createShop('Bad signature');
    const res = await patch(shop.api_key, { sms_signature: value });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: 'sms_signature' }] },
    });
  });
});
