/**
 * Through the real gateway: the thank-you picks the returning-buyer and persona variants of a
 * published template, and its default text carries the address link as a short link that opens.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/db/schema';
import { orderCreated, orderPaid } from '../../test/helpers/events';
import type { TestShop } from '../../test/helpers/gateway';
import { audienceCases, expectedText, publishAudienceTemplate } from '../../test/helpers/audience';
import { linkTargets } from '../../test/helpers/links';
import {
  createShopThrough,
  gatewayBindings,
  gatewayFetch,
  messagesOf,
  recorder,
  sendSigned,
  type Gateway,
} from '../../test/helpers/thank-you';
import { planThankYou } from './plan';

const MIN = 60_000;
let gw: Gateway;

beforeAll(() => {
  gw = gatewayBindings();
});

/** order.created and order.paid through the intake, then the thank-you planned from the job it queued. */
async function paid(shop: TestShop, orderId: string, buyer: Record<string, unknown>, at: number): Promise<Message> {
  gw.thankYou.sent.length = 0;
  expect((await sendSigned(gw, shop, orderCreated(orderId, at - 30 * MIN, { buyer }))).status).toBe(202);
  expect((await sendSigned(gw, shop, orderPaid(orderId, at))).status).toBe(202);
  const job = gw.thankYou.sent.pop()!;
  expect(job).toMatchObject({ flow: 'thank-you', orderId });
  expect((await planThankYou(env, job, new Date(at + 20_000), recorder())).status).toBe('planned');
  return (await messagesOf(shop.shop_id, orderId)).find((m) => m.kind === 'thank_you')!;
}

const body = (m: Message) => (m.rendered as { body: string }).body;

describe('thank-you and audience variants', () => {
  it('records the variant chosen for each buyer and the text it rendered', async () => {
    const shop = await createShopThrough(gw, '回头客小铺');
    await publishAudienceTemplate(shop.shop_id, 'thank_you');
    const at = Date.parse('2026-03-02T02:00:00Z');
    for (const [i, c] of audienceCases.entries()) {
      const buyer = { id: `b-aud-${i}`, name: '王小明', phone: `+86138001383${i}0`, locale: 'zh-CN', tags: c.tags };
      if (c.returning) {
        // The buyer's first order: they were new then.
        const first = await paid(shop, `ty-aud-${i}-first`, buyer, at);
        expect(first.variant).toBe(c.tags.length ? c.variant : 'base');
      }
      const orderId = `ty-aud-${i}`;
      const m = await paid(shop, orderId, buyer, at + 60 * MIN);
      expect({ name: c.name, variant: m.variant, status: m.status }).toEqual({
        name: c.name,
        variant: c.variant,
        status: 'queued',
      });
      expect(m.templateVersionId).not.toBeNull();
      expect(body(m)).toBe(expectedText(c, '王小明', orderId));
    }
  });

  it('sends the default text with the address link shortened, and the short link opens the address page', async () => {
    const shop = await createShopThrough(gw, '短链小铺');
    // Now, not a fixed day: the link lives 30 days from planning on the real clock the redirect reads.
    const at = Date.now() - MIN;
    const buyer = { id: 'b-link', name: '王小明', phone: '+8613800138099', locale: 'zh-CN' };
    const m = await paid(shop, 'ty-link', buyer, at);
    const [target] = await linkTargets(body(m));
    // The values a template-based provider (Aliyun) sends carry the same short link.
    expect(body(m)).toContain((m.data as { address: { confirm_url: string } }).address.confirm_url);
    expect(target).toMatch(new RegExp(`^${env.PUBLIC_URL}/a/`));
    expect(body(m)).not.toContain('/a/');
    const code = body(m).match(/\/s\/([0-9A-Za-z]{8})/)![1]!;
    const res = await gatewayFetch(gw, `/s/${code}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(target);
    const page = await gatewayFetch(gw, new URL(target!).pathname);
    expect(page.status).toBe(200);
  });
});
