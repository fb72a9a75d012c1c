import { describe, expect, it } from 'vitest';
import { channels } from '../db/schema';
import { defaultContent } from './defaults';
import { defaultLocales, messageKindNames } from './kinds';
import { validateParts } from './validate';

describe('save-time validation', () => {
  it('names the line and column of an unknown variable', () => {
    const issues = validateParts('shipped', { body: '亲，\n您的包裹 {{ shipment.tracking_numbr }} 已发出' });
    expect(issues).toEqual([
      {
        part: 'body',
        code: 'unknown_variable',
        message: 'unknown variable "shipment.tracking_numbr" for shipped',
        line: 2,
        column: 9,
      },
    ]);
  });

  it('rejects a variable that exists for another kind only', () => {
    expect(validateParts('shipped', { body: '{{ pay_url }}' })[0]).toMatchObject({
      code: 'unknown_variable',
      line: 1,
      column: 4,
    });
  });

  it('reports unknown filters and syntax errors with their position', () => {
    expect(validateParts('shipped', { body: 'x\n{{ buyer.name | shout }}' })[0]).toMatchObject({
      code: 'syntax',
      line: 2,
      column: 1,
      message: 'undefined filter: shout',
    });
    expect(validateParts('shipped', { body: '{% if buyer.returning %}' })[0]).toMatchObject({
      code: 'syntax',
      line: 1,
      column: 1,
    });
  });

  it('accepts list access, loop variables and locals', () => {
    const source =
      '{% assign n = order.items.size %}{{ n }}{% for item in order.items %}{{ forloop.index }}{{ item.title }}{% endfor %}{{ order.items.first.title }}{{ order.items[0].quantity }}';
    expect(validateParts('shipped', { body: source })).toEqual([]);
  });

  it('rejects unknown fields of list elements', () => {
    expect(validateParts('shipped', { body: '{{ order.items.first.secret }}' })[0]).toMatchObject({
      code: 'unknown_variable',
    });
  });

  it('rejects a part over the size limit', () => {
    expect(validateParts('shipped', { body: 'x'.repeat(9000) })[0]).toMatchObject({ code: 'too_large' });
  });

  it('accepts every built-in default', () => {
    for (const kind of messageKindNames)
      for (const channel of channels)
        for (const locale of defaultLocales) {
          const parts = defaultContent(kind, channel, locale) as Record<string, string>;
          expect(validateParts(kind, parts), `${kind}/${channel}/${locale}`).toEqual([]);
        }
  });
});

describe('save-time limits', () => {
  it('refuses a literal range larger than the item limit', () => {
    expect(validateParts('shipped', { body: '{% for i in (1..100000) %}x{% endfor %}' })[0]).toMatchObject({
      code: 'too_large',
      message: expect.stringContaining('(1..100000)'),
    });
  });

  it('refuses a template that runs out of work or output on sample data', () => {
    const cond = Array.from({ length: 60 }, (_, i) => `i > -${i}`).join(' and ');
    const heavy = `{% for i in (1..1500) %}{% if ${cond} %}.{% endif %}{% endfor %}`;
    expect(validateParts('shipped', { body: heavy })[0]).toMatchObject({ code: 'too_large' });
    const long = '{% for i in (1..1000) %}{{ buyer.name }}0123456789012345678901234567890{% endfor %}';
    expect(validateParts('shipped', { body: long })[0]).toMatchObject({ code: 'too_large' });
  });

  it('accepts every built-in default', () => {
    for (const kind of messageKindNames) {
      for (const channel of channels) {
        for (const locale of defaultLocales) {
          const parts = defaultContent(kind, channel, locale) as Record<string, string>;
          expect([kind, channel, locale, validateParts(kind, parts)]).toEqual([kind, channel, locale, []]);
        }
      }
    }
  });
});
