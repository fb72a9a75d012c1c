import { describe, expect, it } from 'vitest';
import { formatMoney } from './order-data';

describe('formatMoney', () => {
  it('formats each locale and currency with its own formatter, however often and in whatever order', () => {
    // Alternating pairs: a formatter kept for one pair must never answer for another.
    for (let i = 0; i < 3; i++) {
      expect(formatMoney('258.00', 'CNY', 'zh-CN')).toBe('¥258.00');
      expect(formatMoney('258.00', 'USD', 'en-US')).toBe('$258.00');
      expect(formatMoney('1234.5', 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
      expect(formatMoney('258', null, 'zh-CN')).toBe('¥258.00');
    }
  });

  it('keeps the code of a currency that does not format, every time', () => {
    expect(formatMoney('10', 'NOT-A-CODE', 'zh-CN')).toBe('NOT-A-CODE 10');
    expect(formatMoney('11', 'NOT-A-CODE', 'zh-CN')).toBe('NOT-A-CODE 11');
    expect(formatMoney('', 'CNY', 'zh-CN')).toBe('');
    expect(formatMoney(null, 'CNY')).toBe('');
  });

  it('still formats right after more pairs than it keeps formatters for', () => {
    const currencies = Intl.supportedValuesOf('currency').slice(0, 80);
    for (const currency of currencies) {
      expect(formatMoney('1', currency, 'en-US')).toBe(
        new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(1),
      );
    }
    expect(formatMoney('258.00', 'CNY', 'zh-CN')).toBe('¥258.00');
  });
});
