/**
 * Variant choice: audience variants (new/returning buyer, persona tag) first,
 * then a weighted A/B draw. The draw hashes the template and order ids, so the
 * same order always gets the same variant and attribution holds across retries.
 */
import type { Persona, TemplateDocument, TemplateVariant } from './document';

export type Audience = { returning: boolean; persona?: Persona | null };
export type Chosen<P> = { key: string; parts: P };

/** FNV-1a, 32 bit: stable across runtimes, enough to spread orders over weights. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function matches(variant: TemplateVariant<unknown>, who: Audience): number {
  const a = variant.audience;
  if (!a) return 0;
  if (a.buyer && a.buyer !== (who.returning ? 'returning' : 'new')) return -1;
  if (a.persona && a.persona !== who.persona) return -1;
  return (a.buyer ? 1 : 0) + (a.persona ? 2 : 0);
}

function draw<P>(pool: Chosen<P>[], weights: number[], seed: string): Chosen<P> {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return pool[0]!;
  let ticket = hash(seed) % total;
  for (const [i, option] of pool.entries()) {
    ticket -= weights[i]!;
    if (ticket < 0) return option;
  }
  return pool[0]!;
}

export function chooseVariant<P>(doc: TemplateDocument<P>, who: Audience, seed: string): Chosen<P> {
  const variants = doc.variants ?? [];
  const scored = variants.map((v) => ({ v, score: matches(v, who) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  if (best > 0) {
    const top = scored.filter((s) => s.score === best).map((s) => s.v);
    return draw(
      top.map((v) => ({ key: v.key, parts: v.parts })),
      top.map((v) => v.weight ?? 100),
      seed,
    );
  }
  const ab = variants.filter((v) => !v.audience);
  const pool = [{ key: 'base', parts: doc.parts }, ...ab.map((v) => ({ key: v.key, parts: v.parts }))];
  return draw(pool, [doc.weight ?? 100, ...ab.map((v) => v.weight ?? 100)], seed);
}
