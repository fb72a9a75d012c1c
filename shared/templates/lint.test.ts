import { describe, expect, it } from 'vitest';
import { lintCodes, lintMessage, marketingWords, type LintInput } from './lint';

const zh = (n: number) => '订'.repeat(n);
const codes = (input: LintInput) => lintMessage(input).map((w) => w.code);
const sms = (kind: LintInput['kind'], rendered: string, extra: Partial<LintInput> = {}): LintInput => ({
  kind,
  channel: 'sms',
  locale: 'zh-CN',
  rendered,
  ...extra,
});

describe('lintMessage', () => {
  it('exports exactly the five codes', () => {
    expect(lintCodes).toEqual([
      'promotional_in_transactional',
      'missing_opt_out',
      'over_segment_budget',
      'variable_may_overflow',
      'negative_wording',
    ]);
  });

  it('gives no warnings for a clean short zh shipping notice', () => {
    expect(lintMessage(sms('shipped', '【茶小铺】您的订单已发货，顺丰 SF123456，请留意查收。'))).toEqual([]);
  });

  describe('promotional_in_transactional', () => {
    it('warns on a transactional zh SMS with 优惠 and names the word', () => {
      const warnings = lintMessage(sms('shipped', '【茶小铺】您的订单已发货，下单再享优惠。'));
      expect(warnings).toEqual([
        { code: 'promotional_in_transactional', message: expect.stringContaining('"优惠"'), words: ['优惠'] },
      ]);
    });

    it('names 优惠券 as itself and lists every word found', () => {
      const [warning] = lintMessage(sms('delivered', '已签收，送您优惠券，限时秒杀中'));
      expect(warning?.message).toContain('"优惠券", "限时", "秒杀"');
      expect(warning?.message).not.toContain('"优惠",');
    });

    it('matches English words case-insensitively on word boundaries, in any channel', () => {
      const input: LintInput = {
        kind: 'thank_you',
        channel: 'email',
        locale: 'en',
        rendered: 'Thanks! Use COUPON X for 10% off.',
      };
      const [warning] = lintMessage(input);
      expect(warning?.code).toBe('promotional_in_transactional');
      expect(warning?.message).toContain('"coupon", "% off"');
    });

    it('ignores words that merely contain a marketing word', () => {
      expect(marketingWords('Your dealer ships wholesale orders; the promotional-free ideal')).toEqual([]);
      expect(marketingWords('Big SALES, limited-time deals')).toEqual(['sales', 'limited-time', 'deals']);
    });

    it('fires for a service kind too: a payment reminder carries no marketing', () => {
      const [warning] = lintMessage(sms('unpaid_reminder', '限时优惠，付款享折扣。拒收请回复R'));
      expect(warning?.code).toBe('promotional_in_transactional');
      expect(warning?.message).toContain('unpaid_reminder is a service message');
    });
  });

  describe('missing_opt_out', () => {
    it('fires for a service zh SMS without 拒收请回复R', () => {
      expect(codes(sms('review_request', '【茶小铺】邀您评价本次购物'))).toEqual(['missing_opt_out']);
    });

    it.each(['拒收请回复R', '回复R拒收'])('does not fire when the zh SMS carries %s', (optOut) => {
      expect(codes(sms('review_request', `【茶小铺】邀您评价本次购物，${optOut}`))).toEqual([]);
    });

    it('does not accept other zh variants such as 回T退订', () => {
      expect(codes(sms('review_request', '【茶小铺】邀您评价本次购物，回T退订'))).toEqual(['missing_opt_out']);
    });

    it('requires STOP or opt out for non-zh SMS', () => {
      const en = (rendered: string) => sms('unpaid_reminder', rendered, { locale: 'en', segmentBudget: 2 });
      expect(codes(en('Your order is waiting: https://t.ob.example/p/Xy7Qa'))).toEqual(['missing_opt_out']);
      expect(codes(en('Your order is waiting. Reply stop to end.'))).toEqual([]);
      expect(codes(en('Your order is waiting. Text back to opt-out.'))).toEqual([]);
    });

    it('does not apply to transactional kinds or to other channels', () => {
      expect(codes(sms('shipped', '【茶小铺】您的订单已发货'))).toEqual([]);
      expect(codes({ kind: 'review_request', channel: 'email', locale: 'zh-CN', rendered: '邀您评价' })).toEqual([]);
    });
  });

  describe('over_segment_budget', () => {
    it('fires when the SMS takes more segments than the budget and gives the counts', () => {
      const [warning] = lintMessage(sms('shipped', zh(71)));
      expect(warning?.code).toBe('over_segment_budget');
      expect(warning?.message).toContain('2 segments (UCS-2, 71 units, 67 per segment)');
      expect(warning?.message).toContain('budget is 1');
    });

    it('stays quiet at the limit and within a larger budget', () => {
      expect(codes(sms('shipped', zh(70)))).toEqual([]);
      expect(codes(sms('shipped', zh(71), { segmentBudget: 2 }))).toEqual([]);
    });

    it('does not apply to email', () => {
      expect(codes({ kind: 'shipped', channel: 'email', locale: 'zh-CN', rendered: zh(500) })).toEqual([]);
    });

    it('rejects a budget that is not a positive integer', () => {
      expect(() => lintMessage(sms('shipped', 'x', { segmentBudget: 0 }))).toThrow(RangeError);
      expect(() => lintMessage(sms('shipped', 'x', { segmentBudget: 1.5 }))).toThrow(RangeError);
    });
  });

  describe('variable_may_overflow', () => {
    it('fires when the longest samples (75 chars) push a 60-char text over one segment', () => {
      const warnings = lintMessage(sms('shipped', zh(60), { renderedLongest: zh(75) }));
      expect(warnings.map((w) => w.code)).toEqual(['variable_may_overflow']);
      expect(warnings[0]?.message).toContain('2 segments (UCS-2, 75 units, 67 per segment)');
    });

    it('stays quiet when the longest samples still fit', () => {
      expect(codes(sms('shipped', zh(60), { renderedLongest: zh(70) }))).toEqual([]);
    });

    it('stays quiet when the longest text stays within the budget', () => {
      expect(codes(sms('shipped', zh(60), { renderedLongest: zh(75), segmentBudget: 2 }))).toEqual([]);
    });

    it('stays quiet when the longest text takes no more segments than the sample', () => {
      expect(codes(sms('shipped', zh(100), { renderedLongest: zh(120) }))).toEqual(['over_segment_budget']);
    });

    it('fires alongside over_segment_budget when the longest adds yet another segment', () => {
      expect(codes(sms('shipped', zh(100), { renderedLongest: zh(140) }))).toEqual([
        'over_segment_budget',
        'variable_may_overflow',
      ]);
    });
  });

  describe('negative_wording', () => {
    it('fires for blunt zh wording and names the words', () => {
      const [warning] = lintMessage(sms('delivery_exception', '您的包裹无法派送，今天不能送达'));
      expect(warning?.code).toBe('negative_wording');
      expect(warning?.message).toContain('"无法", "不能"');
    });

    it('does not fire with an apology nearby', () => {
      expect(codes(sms('delivery_exception', '非常抱歉，您的包裹今天无法派送'))).toEqual([]);
      expect(codes(sms('delivery_exception', '包裹无法派送，不好意思'))).toEqual([]);
    });

    it('fires when the only apology is far away', () => {
      const text = `抱歉${'，'.repeat(25)}包裹无法派送`;
      expect(codes(sms('delivery_exception', text))).toEqual(['negative_wording']);
    });

    it('applies only to zh and only to buyer-facing kinds', () => {
      expect(codes(sms('delivery_exception', 'We cannot deliver today', { locale: 'en' }))).toEqual([]);
      const alert = { kind: 'negative_review_alert', channel: 'chat', locale: 'zh-CN' } as const;
      expect(codes({ ...alert, rendered: '差评：味道还可以但是包装破损了' })).toEqual([]);
    });
  });
});
