/**
 * Every default text reads naturally when an optional value is missing (issue 15, deliverable 6): rendered
 * with the catalogue's samples and each optional field emptied in turn, no text may keep a dangling label
 * ("付款：" before nothing), empty brackets or quotes, doubled punctuation, or a sentence with a hole.
 */
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { channels } from '../../db/schema/delivery/messages';
import { catalogue, sampleData, setPath } from '../catalogue';
import { defaultLocales, messageKindNames } from '../kinds';
import { defaultContent } from './index';

const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true });

/** Values a flow may leave empty: no pay link, no tracking link or number, no location, no buyer name, no review link. */
export const optionalPaths = [
  'buyer.name',
  'pay_url',
  'review_url',
  'shipment.tracking_url',
  'shipment.location',
  'review.content',
] as const;

/** Shapes that only appear when a value is missing. */
const holes: [string, RegExp][] = [
  ['a label or colon before nothing', /[：:]\s*(?:$|——|The .* team$|拒收请回复R|Reply STOP)/],
  ['a colon before a bracket', /[：:]\s*[（(]/],
  ['empty brackets or quotes', /（\s*）|\(\s*\)|“\s*”|""|「\s*」/],
  ['doubled punctuation', /[，,。、；]\s*[，,。、；]|[，,]\s*[。.!！?？]/],
  ['a place word before nothing (zh)', /(?:已到|在)[，。,]|在停留|已经到啦/],
  ['a place word before nothing (en)', /\b(?:in|at|reached)\s*[.,!]/],
  ['a greeting without a name', /\b(?:Hi|Dear)\s*[,!]/],
  ['a sentence starting with punctuation', /(?:^|\n)\s*[，,。.：:]/],
];

describe('default texts with optional data missing', () => {
  for (const locale of defaultLocales) {
    for (const kind of messageKindNames) {
      const optional = optionalPaths.filter((p) => catalogue[kind].some((s) => s.path === p));
      if (optional.length === 0) continue;
      it(`${locale} ${kind}: reads well without ${optional.join(', ')}`, () => {
        for (const path of optional) {
          const data = sampleData(kind);
          setPath(data, path, '');
          for (const channel of channels) {
            if (channel === 'webhook') continue; // machine-readable: an empty field is the right answer
            for (const [part, source] of Object.entries(defaultContent(kind, channel, locale))) {
              if (part === 'html') continue; // the same words as `text`, in markup
              const out = liquid.parseAndRenderSync(source, data) as string;
              // More lines ending in a label than with the full data: a label's value went missing.
              const full = liquid.parseAndRenderSync(source, sampleData(kind)) as string;
              const labelled = (text: string) => text.split('\n').filter((l) => /[：:]\s*$/.test(l)).length;
              expect(labelled(out), `${channel}.${part} without ${path}: a line ending in a bare label\n${out}`).toBe(
                labelled(full),
              );
              for (const [what, pattern] of holes) {
                expect(out, `${channel}.${part} without ${path}: ${what}\n${out}`).not.toMatch(pattern);
              }
            }
          }
        }
      });
    }
  }
});
