import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, sign, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated } from '../../../test/helpers/events';

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop();
});

const event = () => orderCreated(`sig-${crypto.randomUUID()}`, Date.now());
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function intakeRows(shopId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM webhook_events WHERE shop_id = ?')
    .bind(shopId)
    .first<{ n: number }>();
  return row!.n;
}

describe('Standard Webhooks signatures', () => {
  it('accepts a correctly signed event', async () => {
    const res = await sendEvent(shop, event());
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'accepted', event_id: expect.stringMatching(/^evt_/) });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a request without %s', async (header) => {
    const res = await sendEvent(shop, event(), { headers: { [header]: undefined } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('signature_missing');
  });

  it('rejects a signature made with the wrong secret', async () => {
    const other = await createShop('Other');
    const res = await sendEvent(shop, event(), { secret: other.webhook_secret });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('signature_invalid');
  });

  it('rejects a body re-serialised after signing', async () => {
    const body = event();
    const signedText = JSON.stringify(body);
    const id = 'msg_reserialised';
    const ts = Math.floor(Date.now() / 1000);
    const signature = await sign(shop.webhook_secret, id, ts, signedText);
    const res = await sendEvent(shop, body, { id, timestamp: ts, signature, rawBody: JSON.stringify(body, null, 2) });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('signature_invalid');
  });

  it.each([
    ['stale', -301],
    ['future', 301],
  ])('rejects a %s timestamp beyond 5 minutes and accepts one just inside', async (_label, offset) => {
    const now = Math.floor(Date.now() / 1000);
    const outside = await sendEvent(shop, event(), { timestamp: now + offset });
    expect(outside.status).toBe(401);
    expect(await errorCode(outside)).toBe('timestamp_out_of_tolerance');
    const inside = await sendEvent(shop, event(), { timestamp: now + Math.sign(offset) * 290 });
    expect(inside.status).toBe(202);
  });

  it('rejects a non-numeric timestamp', async () => {
    const res = await sendEvent(shop, event(), { headers: { 'webhook-timestamp': '2026-11-22T10:00:00Z' } });
    expect(await errorCode(res)).toBe('timestamp_out_of_tolerance');
  });

  it('rejects signatures of the wrong length or version, and accepts a valid one among several', async () => {
    const body = event();
    const raw = JSON.stringify(body);
    const id = `msg_multi_${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const good = await sign(shop.webhook_secret, id, ts, raw);
    const truncated = good.slice(0, 20);
    for (const bad of [truncated, `${good}AAAA`, good.replace('v1,', 'v2,'), 'v1,']) {
      const res = await sendEvent(shop, body, { id, timestamp: ts, signature: bad });
      expect(res.status).toBe(401);
    }
    const res = await sendEvent(shop, body, { id, timestamp: ts, signature: `${truncated} v2,abc ${good}` });
    expect(res.status).toBe(202);
  });

  it('accepts the previous secret during the grace period after rotation, and not after', async () => {
    const own = await createShop('Rotating');
    const rotate = await call('/v1/shop/webhook-secret/rotate', {
      method: 'POST',
      key: own.api_key,
      json: { grace_minutes: 60 },
    });
    expect(rotate.status).toBe(200);
    const { webhook_secret } = (await rotate.json()) as { webhook_secret: string };
    expect(webhook_secret).not.toBe(own.webhook_secret);

    expect((await sendEvent(own, event())).status).toBe(202); // old secret, within grace
    expect((await sendEvent(own, event(), { secret: webhook_secret })).status).toBe(202);

    const expire = await call('/v1/shop/webhook-secret/rotate', {
      method: 'POST',
      key: own.api_key,
      json: { grace_minutes: 0 },
    });
    const latest = ((await expire.json()) as { webhook_secret: string }).webhook_secret;
    const old = await sendEvent(own, event(), { secret: webhook_secret });
    expect(old.status).toBe(401);
    expect((await sendEvent(own, event(), { secret: latest })).status).toBe(202);
  });

  it('stores nothing for a rejected event', async () => {
    const own = await createShop('Rejects');
    await sendEvent(own, event(), { signature: 'v1,AAAA' });
    await sendEvent(own, event(), { timestamp: 1 });
    expect(await intakeRows(own.shop_id)).toBe(0);
  });
});
