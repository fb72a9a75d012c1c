/**
 * Every default SMS that carries a link fits two parts once its links are short, rendered the way
 * planning renders it: with a 6-character signature (zh-CN) and a public host of 20 characters, and with
 * destinations as long as the real ones (a signed address link, a marketplace pay link).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { compose } from '../delivery/compose';
import { addressLinkToken, addressLinkUrl } from '../orders/address-link';
import { trackingUrl } from '../shipping/carriers';
import { catalogue, sampleData, setPath } from '../templates/catalogue';
import { defaultLocales, messageKindNames, type MessageKind } from '../templates/kinds';
import { countSms } from '../templates/segments';
import { seedShop } from '../../test/helpers/seed';
import { shortLinkUrl } from './shorten';

const PUBLIC_URL = 'https://orderbell.example.cn'; // host: 20 characters
/**
 * The 【】 signature is the China SMS convention (PRODUCT.md): 6 characters for zh-CN. An English text
 * carries none (its brackets alone would turn a GSM-7 text into UCS-2), and its buyer has a Latin name.
 */
const SIGNATURE = { 'zh-CN': '茶小铺旗舰店', en: null } as const;
const BUYER = { 'zh-CN': '王小明', en: 'Emma' } as const;

async function longLinks(shopId: string): Promise<Record<string, string>> {
  const token = await addressLinkToken(env.ENCRYPTION_KEY, { shopId, orderId: '20261111-0042' });
  return {
    confirm_url: addressLinkUrl(PUBLIC_URL, token),
    pay_url: 'https://buyertrade.taobao.com/trade/pay.htm?bizOrderId=3958123456789012345&spm=a1z09.2.0.0.67002e8d',
    tracking_url: trackingUrl('顺丰速运', 'SF1234567890123'),
    review_url: 'https://rate.taobao.com/remark_seller.jhtml?trade_id=3958123456789012345',
    console_url: `${PUBLIC_URL}/console/#/orders/20261111-0042`,
  };
}

function dataWith(kind: MessageKind, locale: keyof typeof BUYER, links: Record<string, string>) {
  const data = sampleData(kind);
  if (catalogue[kind].some((s) => s.path === 'buyer.name')) setPath(data, 'buyer.name', BUYER[locale]);
  for (const spec of catalogue[kind]) {
    const name = spec.path.split('.').at(-1)!;
    if (spec.type === 'url' && Object.hasOwn(links, name)) setPath(data, spec.path, links[name]);
  }
  return data;
}

describe('default SMS texts with short links', () => {
  it('fit two parts with a 6-character signature on a 20-character host', async () => {
    expect(new URL(PUBLIC_URL).host).toHaveLength(20);
    const seeded = await seedShop();
    const links = await longLinks(seeded.id);
    const measured = new Map<string, { before: number; after: number; units: number }>();
    for (const locale of defaultLocales) {
      const shop = { ...seeded, smsSignature: SIGNATURE[locale] };
      for (const kind of messageKindNames) {
        const data = dataWith(kind, locale, links);
        const input = { shop, kind, locale, data, audience: { returning: false }, seed: 'o1' };
        const full = await compose(db(env.DB), { ...input, channel: 'sms' });
        const fullBody = (full.rendered as { body: string }).body;
        if (!/https?:\/\//.test(fullBody)) continue;
        const short = await compose(db(env.DB), { ...input, channel: 'sms', shortLinksOn: PUBLIC_URL });
        const body = (short.rendered as { body: string }).body;
        if (SIGNATURE[locale]) expect(body.startsWith(`【${SIGNATURE[locale]}】`), `${locale} ${kind}`).toBe(true);
        // Every link is one of ours now, and stands for the destination it replaced.
        expect(short.links.length, `${locale} ${kind}`).toBeGreaterThan(0);
        for (const { code, destination } of short.links) {
          expect(body).toContain(shortLinkUrl(PUBLIC_URL, code));
          expect(fullBody).toContain(destination);
          expect(body).not.toContain(destination);
        }
        const before = countSms(fullBody).segments;
        const after = countSms(body).segments;
        measured.set(`${locale} ${kind}`, { before, after, units: countSms(body).units });
        expect(after, `${locale} ${kind}: ${body}`).toBeLessThanOrEqual(2);
      }
    }
    console.info([...measured].map(([k, m]) => `${k}: ${m.before} -> ${m.after} parts (${m.units} units)`).join('\n'));
    // The case the issue names: the zh-CN thank-you took 3 parts with its full address link.
    expect(measured.get('zh-CN thank_you')).toMatchObject({ before: 3, after: 2 });
    // Every zh-CN SMS with a buyer link is covered (the zh-CN parcel alerts carry their console link only outside the SMS).
    expect([...measured.keys()].filter((k) => k.startsWith('zh-CN'))).toEqual(
      expect.arrayContaining(['zh-CN unpaid_reminder', 'zh-CN preclose_reminder', 'zh-CN address_confirmation']),
    );
  });
});
