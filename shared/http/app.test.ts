import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../test/helpers/gateway';

describe('error rendering', () => {
  it('answers malformed JSON on an API route with 415 invalid_json, not a 500', async () => {
    const shop = await createShop();
    const res = await call('/v1/shop', {
      method: 'PATCH',
      body: '{"name":',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.api_key}` },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('answers a JSON route sent as text/plain with 415 unsupported_media_type', async () => {
    const shop = await createShop();
    const res = await call('/v1/shop', {
      method: 'PATCH',
      body: '{"name":"x"}',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${shop.api_key}` },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });
});
