import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { channels } from '../../db/schema/delivery/messages';
import { catalogue, sampleData, setPath } from '../catalogue';
import { defaultLocales, isTransactional, messageKindNames, messageKinds, type MessageKind } from '../kinds';
import { defaultContent, defaultLocaleFor, defaultTexts } from './index';

const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true });
const render = (source: string, data: Record<string, unknown>) => liquid.parseAndRenderSync(source, data) as string;

const marketingWords = ['优惠', '促销', '折扣', '领券', '限时', 'sale', 'discount', 'coupon', 'promo'];
const zhOptOut = '拒收请回复R';
const enOptOut = 'Reply STOP to opt out';
const signature = '【茶小铺子】'; // a typical 6-character signature

/** Sample data with every boolean flipped and optional texts emptied, to exercise the other branches. */
function otherBranches(kind: MessageKind) {
  const data = sampleData(kind);
  for (const spec of catalogue[kind]) {
    if (spec.type === 'boolean') setPath(data, spec.path, !spec.sample);
  }
  const empty = ['buyer.name', 'review.content'].filter((p) => catalogue[kind].some((s) => s.path === p));
  for (const path of empty) setPath(data, path, '');
  if (catalogue[kind].some((s) => s.path === 'region.note')) setPath(data, 'region.note', '新疆地区物流约需 5-7 天');
  if (catalogue[kind].some((s) => s.path === 'order.item_count')) setPath(data, 'order.item_count', 1);
  return data;
}

const datasets = (kind: MessageKind) => ({
  sample: sampleData(kind),
  longest: sampleData(kind, 'longest'),
  otherBranches: otherBranches(kind),
});

const partsOf = (kind: MessageKind, locale: (typeof defaultLocales)[number]) =>
  channels.flatMap((channel) =>
    Object.entries(defaultContent(kind, channel, locale)).map(([part, source]) => ({ channel, part, source })),
  );

describe('default templates', () => {
  for (const locale of defaultLocales) {
    for (const kind of messageKindNames) {
      it(`${locale} ${kind}: every channel renders with the catalogue data`, () => {
        for (const { channel, part, source } of partsOf(kind, locale)) {
          for (const [name, data] of Object.entries(datasets(kind))) {
            let out = '';
            expect(() => (out = render(source, data)), `${channel}.${part} with ${name} data`).not.toThrow();
            expect(out.trim(), `${channel}.${part} with ${name} data`).not.toBe('');
            if (channel === 'webhook') {
              const parsed = JSON.parse(out);
              if (kind === 'address_correction') expect(parsed.type).toBe('address.correction_requested');
              else expect(parsed.kind).toBe(kind);
            }
          }
        }
      });

      it(`${locale} ${kind}: references only the kind's catalogue variables`, () => {
        const allowed = new Set(catalogue[kind].map((s) => s.path));
        for (const { channel, part, source } of partsOf(kind, locale)) {
          const used = liquid.globalVariableSegmentsSync(source).map((segments) => segments.join('.'));
          expect(
            used.filter((path) => !allowed.has(path)),
            `${channel}.${part}`,
          ).toEqual([]);
        }
      });
    }
  }

  it('no default carries marketing; service SMS end with the opt-out, transactional SMS carry none', () => {
    for (const kind of messageKindNames) {
      for (const locale of defaultLocales) {
        const sms = defaultTexts[locale][kind].sms;
        const optOut = locale === 'zh-CN' ? zhOptOut : enOptOut;
        for (const word of marketingWords) expect(sms.toLowerCase(), `${locale} ${kind}`).not.toContain(word);
        if (isTransactional(kind)) {
          expect(sms, `${locale} ${kind}`).not.toContain(zhOptOut);
          expect(sms, `${locale} ${kind}`).not.toContain(enOptOut);
        } else {
          expect(render(sms, sampleData(kind)).endsWith(optOut), `${locale} ${kind}`).toBe(true);
        }
      }
    }
  });

  it('zh-CN texts never say 但是 and en texts never say "but"', () => {
    for (const kind of messageKindNames) {
      for (const text of Object.values(defaultTexts['zh-CN'][kind])) expect(text).not.toContain('但是');
      for (const text of Object.values(defaultTexts.en[kind])) expect(text).not.toMatch(/\bbut\b/i);
    }
  });

  it('buyer texts address the buyer kindly; staff texts do not', () => {
    for (const kind of messageKindNames) {
      const zh = defaultTexts['zh-CN'][kind];
      if (messageKinds[kind].audience === 'staff') expect(zh.sms + zh.body).not.toContain('亲');
      else
        for (const text of [zh.sms, zh.body]) expect(text.startsWith('{% if buyer.name != blank %}亲爱的')).toBe(true);
    }
  });

  it('zh-CN SMS fit in two 67-character parts with a signature, all but two in one SMS', () => {
    for (const kind of messageKindNames) {
      const length = (signature + render(defaultTexts['zh-CN'][kind].sms, sampleData(kind))).length;
      expect(length, kind).toBeLessThanOrEqual(134);
      if (kind !== 'address_confirmation' && kind !== 'negative_review_alert') {
        expect(length, kind).toBeLessThanOrEqual(70);
      }
    }
  });

  it('en SMS wording is GSM-7 and fits in one SMS with the sample data', () => {
    const gsm7 =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    for (const kind of messageKindNames) {
      const sms = defaultTexts.en[kind].sms;
      const wording = sms.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '');
      expect(
        [...wording].filter((c) => !gsm7.includes(c)),
        kind,
      ).toEqual([]);
      expect(sms, kind).not.toContain('order.total');
      expect(render(sms, sampleData(kind)).length, kind).toBeLessThanOrEqual(160);
    }
  });

  it('thank_you and unpaid_reminder speak differently to returning buyers', () => {
    for (const locale of defaultLocales) {
      for (const kind of ['thank_you', 'unpaid_reminder'] as const) {
        const sms = defaultTexts[locale][kind].sms;
        expect(sms).toContain('{% if buyer.returning %}');
        const data = sampleData(kind);
        const returning = sampleData(kind);
        setPath(returning, 'buyer.returning', true);
        expect(render(sms, returning)).not.toBe(render(sms, data));
      }
    }
  });

  it('unpaid_reminder is honest about the cutoff; thank_you adds the region note only for remote regions', () => {
    const data = sampleData('unpaid_reminder');
    setPath(data, 'cutoff.ships_today', false);
    setPath(data, 'ship_day.label', '明天');
    const zh = render(defaultTexts['zh-CN'].unpaid_reminder.sms, data);
    expect(zh).toContain('明天发货');
    expect(zh).not.toContain('今天');
    expect(render(defaultTexts['zh-CN'].unpaid_reminder.sms, sampleData('unpaid_reminder'))).toContain(
      '18:00前付款今天就发货',
    );

    const remote = sampleData('thank_you');
    setPath(remote, 'region.remote', true);
    setPath(remote, 'region.note', '新疆地区物流约需 5-7 天');
    for (const locale of defaultLocales) {
      expect(render(defaultTexts[locale].thank_you.sms, remote)).toContain('新疆地区物流约需 5-7 天');
      setPath(remote, 'region.remote', false);
      expect(render(defaultTexts[locale].thank_you.sms, remote)).not.toContain('新疆');
      setPath(remote, 'region.remote', true);
    }
  });

  it('email HTML escapes every variable', () => {
    for (const locale of defaultLocales) {
      for (const kind of messageKindNames) {
        const { html } = defaultContent(kind, 'email', locale);
        for (const output of html.match(/\{\{[\s\S]*?\}\}/g) ?? []) expect(output).toMatch(/\| escape \}\}$/);
      }
    }
    const data = sampleData('delivered');
    setPath(data, 'buyer.name', '<script>alert(1)</script>');
    const html = render(defaultContent('delivered', 'email', 'zh-CN').html, data);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('webhook payloads stay valid JSON with awkward data', () => {
    for (const kind of messageKindNames.filter((k) => k !== 'address_correction')) {
      const data = sampleData(kind, 'longest');
      setPath(data, 'buyer.name', 'A "quoted" \\ name\n');
      const parsed = JSON.parse(render(defaultContent(kind, 'webhook', 'en').payload, data));
      expect(parsed).toMatchObject({ kind, buyer: { name: 'A "quoted" \\ name\n' } });
    }
  });

  it('address_correction posts the address.correction_requested event, whatever the buyer typed', () => {
    const data = sampleData('address_correction', 'longest');
    setPath(data, 'correction.text', '写错了 "6 单元" \\ 601\n</script>');
    setPath(data, 'address.postal_code', null);
    const parsed = JSON.parse(render(defaultContent('address_correction', 'webhook', 'zh-CN').payload, data));
    expect(parsed).toEqual({
      type: 'address.correction_requested',
      timestamp: '2026-11-11T09:30:00.000Z',
      data: {
        order_id: '202611110000004200001',
        correction: '写错了 "6 单元" \\ 601\n</script>',
        address: {
          name: '欧阳慕容晓明',
          phone: '+8613812345678',
          country: 'CN',
          province: '新疆维吾尔自治区',
          city: '乌鲁木齐市',
          district: '天山区',
          line1: '解放北路 1234 号 5 单元 601 室',
          postal_code: null,
        },
      },
    });
  });

  it('defaultLocaleFor maps any Chinese locale to zh-CN and everything else to en', () => {
    for (const zh of ['zh', 'zh-CN', 'zh-Hans', 'zh_TW', 'ZH-hk']) expect(defaultLocaleFor(zh)).toBe('zh-CN');
    for (const other of ['en', 'en-US', 'de', '', 'zhx']) expect(defaultLocaleFor(other)).toBe('en');
  });
});
