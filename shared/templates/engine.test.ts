import { describe, expect, it } from 'vitest';
import { LIMITS, liquid, parseCached, renderParsed, TemplateRenderError } from './engine';

const render = (source: string, data: Record<string, unknown> = {}) => renderParsed(liquid.parse(source), data);
const data = { buyer: { name: '王小明' }, order: { items: [{ title: '茶' }] } };

describe('sandbox: no prototype or constructor access', () => {
  it.each([
    '{{ buyer.constructor }}',
    '{{ buyer.__proto__ }}',
    '{{ buyer.constructor.name }}',
    '{{ buyer["constructor"]["constructor"] }}',
    '{{ order.items.constructor }}',
    '{{ buyer.name.constructor }}',
    '{{ buyer.hasOwnProperty }}',
    '{{ buyer.toString }}',
    '{{ order.items.first.constructor.prototype }}',
  ])('%s renders nothing', async (source) => {
    expect(await render(source, data)).toBe('');
  });

  it('does not read a property that is only on the prototype of the data', async () => {
    const proto = { secret: 'leaked' };
    const buyer = Object.assign(Object.create(proto), { name: 'x' });
    expect(await render('{{ buyer.secret }}|{{ buyer.name }}', { buyer })).toBe('|x');
  });
});

describe('sandbox: filters and tags resolved on Object.prototype are unknown', () => {
  // The 2026 LiquidJS RCE started from `{{ 1 | valueOf }}` returning the filter's own context.
  it.each(['valueOf', 'constructor', 'toString', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf'])(
    'filter %s is rejected at parse time',
    (name) => {
      expect(() => liquid.parse(`{{ 1 | ${name} }}`)).toThrow(/undefined filter/);
    },
  );

  it.each(['constructor', 'toString', '__proto__'])('tag %s is rejected', (name) => {
    expect(() => liquid.parse(`{% ${name} %}`)).toThrow();
  });

  it.each(['{% include "secrets" %}', '{% render "x" %}', '{% layout "x" %}{% block a %}{% endblock %}'])(
    '%s has no way to reach other files',
    (source) => {
      expect(() => liquid.parse(source)).toThrow(/not found/);
    },
  );
});

describe('limits on work and output', () => {
  it('stops a huge loop', async () => {
    await expect(render('{% for i in (1..100000000) %}x{% endfor %}')).rejects.toBeInstanceOf(TemplateRenderError);
  });

  it('stops nested loops that multiply', async () => {
    const source = '{% for i in (1..3000) %}{% for j in (1..3000) %}{{ j }}{% endfor %}{% endfor %}';
    await expect(render(source)).rejects.toBeInstanceOf(TemplateRenderError);
  });

  it('stops exponential string growth', async () => {
    const source =
      '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';
    await expect(render(source)).rejects.toBeInstanceOf(TemplateRenderError);
  });

  it('stops array growth through push/pop (CVE-2026-55575 bypassed accounting with pop)', async () => {
    const source =
      '{% assign a = "1,2,3,4,5,6,7,8,9,10" | split: "," %}{% for i in (1..30) %}{% assign a = a | concat: a %}{% assign b = a | pop %}{% endfor %}{{ a | size }}';
    await expect(render(source)).rejects.toBeInstanceOf(TemplateRenderError);
  });

  it('rejects rendered output longer than the limit', async () => {
    const source = `{% for i in (1..${LIMITS.outputChars / 10 + 10}) %}0123456789{% endfor %}`;
    const error = await render(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as TemplateRenderError).code).toBe('output_too_long');
  });

  it('refuses to parse a source over the size limit', () => {
    expect(() => liquid.parse('x'.repeat(LIMITS.partChars + 1))).toThrow(/parse length limit/);
  });

  it('renders ordinary templates well within the limits', async () => {
    const source = '亲，{{ buyer.name }}{% for item in order.items %}【{{ item.title }}】{% endfor %}';
    expect(await render(source, data)).toBe('亲，王小明【茶】');
  });
});

describe('parse cache', () => {
  it('parses once per key and returns the same parsed template', () => {
    const first = parseCached('test:cache:1', '{{ buyer.name }}');
    expect(parseCached('test:cache:1', 'ignored: the key already has its parse')).toBe(first);
    expect(parseCached('test:cache:2', '{{ buyer.name }}')).not.toBe(first);
  });
});
