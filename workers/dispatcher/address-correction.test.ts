/**
 * The address loop across workers: the thank-you's address link (signed as the
 * thank-you signs it) opens the real gateway's page behind this project's
 * GATEWAY binding, the buyer's correction is recorded, and this dispatcher
 * posts it to the shop's endpoint as a Standard Webhooks-signed
 * `address.correction_requested` event, retrying a failed delivery; a shop
 * with no endpoint sees the forward fail with `no_provider`.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../shared/channels/lib/testing';
import { verifySignature } from '../../shared/webhooks/standard-webhooks';
import { HOOK_SECRET, HOOK_URL } from '../../test/helpers/dispatch';
import { orderCreated, orderPaid, sampleAddress as address } from '../../test/helpers/events';
import { seedCredentials } from '../../test/helpers/seed';
import { createShopThrough, gatewayBindings, gatewayFetch, messagesOf, sendSigned } from '../../test/helpers/thank-you';
import { addressLinkToken, addressLinkUrl } from '../../shared/orders/address-link';
import { recorder } from '../../test/helpers/queues';
import type { DispatchJob } from '../../shared/delivery/plan';
import { processJob } from './process';

/** This dispatcher's processJob for one message, with its outbound HTTP going to `fetcher`. */
const dispatchWith = (job: DispatchJob, fetcher: typeof fetch, now = new Date()) =>
  processJob({ ...env, DISPATCH: recorder<DispatchJob>() as Queue }, job, now, fetcher);

/** A shop (with or without its webhook endpoint), a paid order, and the address link a thank-you carries. */
async function thankedOrder(withEndpoint: boolean) {
  const gw = gatewayBindings();
  const shop = await createShopThrough(gw);
  if (withEndpoint) await seedCredentials(shop.shop_id, 'webhook', 'webhook', { url: HOOK_URL, secret: HOOK_SECRET });
  const orderId = `ty-corr-${crypto.randomUUID()}`;
  await sendSigned(gw, shop, orderCreated(orderId, Date.now() - 30 * 60_000, { shipping_address: address }));
  await sendSigned(gw, shop, orderPaid(orderId, Date.now() - 20 * 60_000));
  const token = await addressLinkToken(env.ENCRYPTION_KEY, { shopId: shop.shop_id, orderId }, new Date());
  const url = new URL(addressLinkUrl(env.PUBLIC_URL, token));
  return { gw, shop, orderId, path: url.pathname };
}

/** The dispatch job of the order's forwarded correction (the gateway queues it; nothing consumes it here). */
async function correctionJob(shopId: string, orderId: string): Promise<DispatchJob> {
  const rows = (await messagesOf(shopId, orderId)).filter((m) => m.kind === 'address_correction');
  expect(rows).toHaveLength(1);
  return { shopId, messageId: rows[0]!.id };
}

async function correct(t: Awaited<ReturnType<typeof thankedOrder>>, text: string) {
  const page = await gatewayFetch(t.gw, t.path);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('浙江省杭州市西湖区 文三路****');
  const body = new URLSearchParams({ action: 'correct', correction: text });
  expect((await gatewayFetch(t.gw, t.path, { method: 'POST', body })).status).toBe(303);
  return correctionJob(t.shop.shop_id, t.orderId);
}

describe('address correction forwarded to the shop', () => {
  it('posts a signed address.correction_requested event, and retries until the shop accepts it', async () => {
    const t = await thankedOrder(true);
    const job = await correct(t, '应为 6 单元 601 室，电话 13900001111');
    const endpoint = fakeFetch(new Response('busy', { status: 503 }), new Response(null, { status: 204 }));

    const first = await dispatchWith(job, endpoint.fetch);
    expect(first).toMatchObject({ status: 'queued', retryInMs: expect.any(Number) });
    const retryAt = new Date(Date.now() + first.retryInMs! + 1000);
    expect(await dispatchWith(job, endpoint.fetch, retryAt)).toEqual({ status: 'delivered' });
    endpoint.assertDone();

    const [request, retry] = endpoint.requests;
    expect(request).toMatchObject({ method: 'POST', url: HOOK_URL });
    expect(retry!.body).toBe(request!.body);
    expect(retry!.headers['webhook-id']).toBe(job.messageId);
    const headers = request!.headers;
    expect(() =>
      verifySignature(
        request!.body,
        {
          'webhook-id': headers['webhook-id'],
          'webhook-timestamp': headers['webhook-timestamp'],
          'webhook-signature': headers['webhook-signature'],
        },
        [HOOK_SECRET],
      ),
    ).not.toThrow();
    const event = JSON.parse(request!.body);
    expect(event).toEqual({
      type: 'address.correction_requested',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        order_id: t.orderId,
        correction: '应为 6 单元 601 室，电话 13900001111',
        address: { ...address, postal_code: null },
      },
    });

    const view = await gatewayFetch(t.gw, `/v1/orders/${t.orderId}`, { key: t.shop.api_key });
    const body = (await view.json()) as { address_responses: unknown[]; messages: { kind: string; status: string }[] };
    expect(body.address_responses).toEqual([
      expect.objectContaining({ action: 'correction_requested', message_id: job.messageId }),
    ]);
    expect(body.messages.map((m) => [m.kind, m.status])).toContainEqual(['address_correction', 'delivered']);
  });

  it('records the forward as failed with no_provider when the shop has no endpoint', async () => {
    const t = await thankedOrder(false);
    const job = await correct(t, '门牌号写错了');
    const endpoint = fakeFetch();
    expect(await dispatchWith(job, endpoint.fetch)).toEqual({ status: 'failed', reason: 'no_provider' });
    endpoint.assertDone();
    const rows = await messagesOf(t.shop.shop_id, t.orderId);
    expect(rows.find((m) => m.id === job.messageId)).toMatchObject({
      kind: 'address_correction',
      channel: 'webhook',
      status: 'failed',
      reason: 'no_provider',
    });
  });
});
