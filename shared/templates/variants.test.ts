import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../db/schema';
import { chooseVariant } from './variants';

type P = { body: string };
const ab: TemplateDocument<P> = {
  parts: { body: 'A' },
  weight: 70,
  variants: [{ key: 'b', weight: 30, parts: { body: 'B' } }],
};
const seeds = Array.from({ length: 1000 }, (_, i) => `tv_1:order-${i}`);
const newBuyer = { returning: false, persona: null };

describe('chooseVariant', () => {
  it('is deterministic per seed', () => {
    for (const seed of seeds.slice(0, 50)) {
      expect(chooseVariant(ab, newBuyer, seed)).toEqual(chooseVariant(ab, newBuyer, seed));
    }
  });

  it('respects the weights roughly over 1000 seeds', () => {
    const b = seeds.filter((seed) => chooseVariant(ab, newBuyer, seed).key === 'b').length;
    expect(b).toBeGreaterThan(240);
    expect(b).toBeLessThan(360);
  });

  it('never draws a zero-weight option', () => {
    const off = { ...ab, variants: [{ key: 'b', weight: 0, parts: { body: 'B' } }] };
    expect(seeds.every((seed) => chooseVariant(off, newBuyer, seed).key === 'base')).toBe(true);
  });

  it('lets a matching audience variant beat the A/B draw', () => {
    const doc: TemplateDocument<P> = {
      ...ab,
      variants: [...ab.variants!, { key: 'back', audience: { buyer: 'returning' }, parts: { body: 'Welcome back' } }],
    };
    const returning = { returning: true, persona: null };
    expect(seeds.every((seed) => chooseVariant(doc, returning, seed).key === 'back')).toBe(true);
    expect(chooseVariant(doc, returning, seeds[0]!).parts.body).toBe('Welcome back');
    // A new buyer never gets the returning variant, only base or b.
    const keys = new Set(seeds.map((seed) => chooseVariant(doc, newBuyer, seed).key));
    expect(keys).toEqual(new Set(['base', 'b']));
  });

  it('prefers a persona match over a buyer-type match, and both over either', () => {
    const doc: TemplateDocument<P> = {
      parts: { body: 'base' },
      variants: [
        { key: 'returning', audience: { buyer: 'returning' }, parts: { body: 'r' } },
        { key: 'owl', audience: { persona: 'owl' }, parts: { body: 'o' } },
        { key: 'returning-owl', audience: { buyer: 'returning', persona: 'owl' }, parts: { body: 'ro' } },
      ],
    };
    expect(chooseVariant(doc, { returning: true, persona: 'owl' }, 's').key).toBe('returning-owl');
    expect(chooseVariant(doc, { returning: false, persona: 'owl' }, 's').key).toBe('owl');
    expect(chooseVariant(doc, { returning: true, persona: 'tiger' }, 's').key).toBe('returning');
    expect(chooseVariant(doc, { returning: false, persona: 'tiger' }, 's').key).toBe('base');
  });
});
