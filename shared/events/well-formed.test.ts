import { describe, expect, it } from 'vitest';
import { illFormedPath } from './well-formed';

describe('illFormedPath', () => {
  it('names the dotted path of the first ill-formed string, through objects and arrays', () => {
    expect(illFormedPath({ data: { buyer: { id: 'b\ud800' } } })).toBe('data.buyer.id');
    expect(illFormedPath({ data: { items: [{ title: 'ok' }, { title: '\udc00x' }] } })).toBe('data.items.1.title');
    expect(illFormedPath({ a: 'fine', b: ['\ud800', { c: '\ud800' }] })).toBe('b.0');
  });

  it('names an ill-formed key by its well-formed form, and the body itself by an empty path', () => {
    expect(illFormedPath({ data: { ['k\ud800']: 1 } })).toBe('data.k\ufffd');
    expect(illFormedPath('\ud800')).toBe('');
  });

  it('passes well-formed bodies, pairs of surrogates and non-strings', () => {
    expect(illFormedPath({ id: '\ud83d\ude00', n: 1, t: true, z: null, list: [1, 'x', {}] })).toBeUndefined();
    expect(illFormedPath(42)).toBeUndefined();
  });
});
