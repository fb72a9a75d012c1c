/** Email one-click unsubscribe (RFC 8058): POST opts out, GET only shows a confirm page. */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { seedCustomer } from '../../../test/helpers/seed';
import { optedOut, seedMessage } from '../messages/fixtures';

async function emailed() {
  const shop = await createShop('Mail shop');
  const buyer = await seedCustomer(shop.shop_id, { email: 'Buyer@Example.com', optedOutChannels: ['sms'] });
  const twin = await seedCustomer(shop.shop_id, { email: 'buyer@example.com' });
  const m = await seedMessage(shop.shop_id, {
    kind: 'review_request',
    channel: 'email',
    recipient: 'buyer@example.com',
    buyerId: buyer.id,
  });
  return { shop, buyer, twin, path: `/v1/unsubscribe/${shop.shop_id}/${m.id}` };
}

const oneClick = (path: string, body = 'List-Unsubscribe=One-Click') =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('/v1/unsubscribe/{shop_id}/{message_id}', () => {
  it('GET shows a confirm form and changes nothing', async () => {
    const { shop, buyer, path } = await emailed();
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['sms']);
  });

  it('POST List-Unsubscribe=One-Click opts the buyer and the same address out of email, once', async () => {
    const { shop, buyer, twin, path } = await emailed();
    expect((await oneClick(path)).status).toBe(200);
    expect((await oneClick(path)).status).toBe(200);
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['sms', 'email']);
    expect(await optedOut(shop.shop_id, twin.id)).toEqual(['email']);
  });

  it('accepts the multipart form mail clients may send', async () => {
    const { shop, buyer, path } = await emailed();
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    expect((await call(path, { method: 'POST', body: form })).status).toBe(200);
    expect(await optedOut(shop.shop_id, buyer.id)).toContain('email');
  });

  it('refuses a POST without the one-click body', async () => {
    const { shop, buyer, path } = await emailed();
    const res = await oneClick(path, 'List-Unsubscribe=Yes');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await optedOut(shop.shop_id, buyer.id)).toEqual(['sms']);
  });

  it('answers 404 for an unknown message or another shop', async () => {
    const { path } = await emailed();
    const other = await createShop('Other');
    expect((await call(`/v1/unsubscribe/${other.shop_id}/msg_${'a'.repeat(20)}`)).status).toBe(404);
    expect((await oneClick(path.replace(/\/shop_[^/]+\//, `/${other.shop_id}/`))).status).toBe(404);
  });
});
