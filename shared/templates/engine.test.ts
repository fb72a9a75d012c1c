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

describe('limits inside filters, loops and captures (the work meter)', () => {
  const cond = Array.from({ length: 40 }, (_, i) => `x > -${i}`).join(' and ');
  const failure = (source: string, data: Record<string, unknown> = {}) =>
    render(source, data).then(
      () => undefined,
      (e: unknown) => e as TemplateRenderError,
    );

  it('stops a where_exp over a large range before walking it', async () => {
    const error = await failure(`{% assign r = (1..200000) %}{{ r | where_exp: "x", "${cond}" | size }}`);
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error!.message).toMatch(/limit exceeded|at most/);
  });

  it('charges a where_exp by items times expression length, within one node', async () => {
    const fits = `{% assign r = (1..100) %}{{ r | where_exp: "x", "x > 50" | size }}`;
    expect(await render(fits)).toBe('50');
    const heavy = `{% assign r = (1..${LIMITS.items}) %}{{ r | where_exp: "x", "${cond}" | size }}`;
    expect(await failure(heavy)).toBeInstanceOf(TemplateRenderError);
  });

  it('charges has_exp and find_exp, which LiquidJS itself does not count', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ n: i }));
    const source = `{% for i in (1..1000) %}{% assign h = items | has_exp: "it", "it.n > 9999" %}{% endfor %}{{ h }}`;
    expect(await failure(source, { items })).toBeInstanceOf(TemplateRenderError);
  });

  it('refuses filter inputs and results over the item limit', async () => {
    const big = Array.from({ length: LIMITS.items + 1 }, (_, i) => i);
    expect((await failure('{{ big | size }}', { big }))!.message).toMatch(/at most/);
    const split = `{{ s | split: "," | size }}`;
    expect((await failure(split, { s: 'a,'.repeat(LIMITS.items + 1) }))!.message).toMatch(/at most/);
  });

  it('counts captured text against the output limit even when it is never output', async () => {
    const source = `{% capture s %}{% for i in (1..${LIMITS.outputChars / 10 + 10}) %}0123456789{% endfor %}{% endcapture %}ok`;
    expect(await failure(source)).toBeInstanceOf(TemplateRenderError);
    expect(await render('{% capture s %}{{ buyer.name }}{% endcapture %}[{{ s }}]', data)).toBe('[王小明]');
  });

  it('stops an empty loop over a long range: each iteration costs work', async () => {
    expect(await failure('{% for i in (1..20000) %}{% endfor %}')).toBeInstanceOf(TemplateRenderError);
  });

  it('renders a 500-item list with a realistic body well within the budget', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ title: `商品${i}`, quantity: 1 + (i % 3) }));
    const out = await render('{% for item in items %}{{ item.title }}×{{ item.quantity }}；{% endfor %}', { items });
    expect(out.split('；')).toHaveLength(501);
  });
});

describe('parse cache', () => {
  it('parses once per key and returns the same parsed template', () => {
    const first = parseCached('test:cache:1', '{{ buyer.name }}');
    expect(parseCached('test:cache:1', 'ignored: the key already has its parse')).toBe(first);
    expect(parseCached('test:cache:2', '{{ buyer.name }}')).not.toBe(first);
  });
});
