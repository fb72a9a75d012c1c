/**
 * Compliance lint for rendered message templates (China SMS practice, PRODUCT.md): no marketing
 * in transactional or service messages, an opt-out on service and promotional SMS, and SMS length
 * within the shop's segment budget. Pure and dependency-free; it reports warnings. Marketing wording
 * in a transactional or service kind's source is also refused at save time (templates/validation.ts).
 */
import { classOf, isTransactional, messageKinds, type MessageKind } from './kinds';
import { countSms, type SmsCount } from './segments';

export const lintCodes = [
  'promotional_in_transactional',
  'missing_opt_out',
  'over_segment_budget',
  'variable_may_overflow',
  'negative_wording',
] as const;
export type LintCode = (typeof lintCodes)[number];
/** `words`: the words the finding names, for locating it in the source (shared/templates/lint-position.ts). */
export type LintWarning = { code: LintCode; message: string; words?: string[] };

export type LintChannel = 'sms' | 'email' | 'chat' | 'webhook';

export type LintInput = {
  kind: MessageKind;
  channel: LintChannel;
  locale: string;
  /** The main rendered text: the SMS body including its signature, or the email text. */
  rendered: string;
  /** The same template rendered with the catalogue's longest samples (`sampleData(kind, 'longest')`). */
  renderedLongest?: string;
  /** Most SMS segments a message may take; default 1. Only SMS has segments. */
  segmentBudget?: number;
};

/** Marketing wording; longer words first so 优惠券 is reported as itself, not as 优惠. */
const zhMarketing = ['优惠券', '包邮券', '优惠', '促销', '折扣', '领券', '限时', '秒杀', '满减', '特价'];
/** English marketing wording, matched case-insensitively on word boundaries (plurals included). */
const enMarketing = /\b(?:sales?|discounts?|coupons?|promos?|promotions?|deals?|limited[- ]time)\b|%\s*off\b/gi;

/**
 * Opt-out wording. zh SMS must carry 拒收请回复R (the carriers' standard phrase) or its reordering
 * 回复R拒收; other variants such as 回T退订 are deliberately not accepted so templates stay uniform.
 */
const zhOptOut = /拒收请回复\s*R|回复\s*R\s*拒收/i;
const enOptOut = /\bstop\b|\bopt[- ]?out\b/i;

/** Advisory tone heuristic for zh: a refusal word with no apology within `apologyWindow` characters. */
const zhNegative = /但是|不能|无法/g;
const zhApology = /抱歉|对不起|不好意思/;
const apologyWindow = 20;

const isZh = (locale: string) => /^zh(?:-|_|$)/i.test(locale);
const costOf = (c: SmsCount) => `${c.segments} segments (${c.encoding}, ${c.units} units, ${c.perSegment} per segment)`;
const quote = (words: Iterable<string>) => [...words].map((w) => `"${w}"`).join(', ');

/** Marketing words found in a text, each once, in order of appearance. */
export function marketingWords(text: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const word = zhMarketing.find((w) => text.startsWith(w, i));
    if (word) {
      found.add(word);
      i += word.length - 1;
    }
  }
  for (const match of text.matchAll(enMarketing)) found.add(match[0].toLowerCase());
  return [...found];
}

/**
 * Lints one rendered template. Rules and where they apply:
 * - `promotional_in_transactional`: transactional or service kind, any channel, marketing wording in `rendered`.
 * - `missing_opt_out`: service or promotional kind on SMS without an opt-out (zh: 拒收请回复R; else STOP / opt out).
 * - `over_segment_budget`: SMS whose `rendered` takes more segments than the budget.
 * - `variable_may_overflow`: SMS whose `renderedLongest` takes more segments than both `rendered` and the budget.
 * - `negative_wording` (advisory): zh, buyer-facing kind, 但是/不能/无法 with no 抱歉/对不起/不好意思 nearby.
 * @throws RangeError when `segmentBudget` is not a positive integer.
 */
export function lintMessage(input: LintInput): LintWarning[] {
  const { kind, channel, locale, rendered, renderedLongest, segmentBudget = 1 } = input;
  if (!Number.isInteger(segmentBudget) || segmentBudget < 1) {
    throw new RangeError(`segmentBudget must be a positive integer, got ${segmentBudget}`);
  }
  const warnings: LintWarning[] = [];
  const zh = isZh(locale);

  const cls = classOf(kind);
  if (cls !== 'promotional') {
    const words = marketingWords(rendered);
    if (words.length > 0) {
      warnings.push({
        code: 'promotional_in_transactional',
        message: `${kind} is a ${cls} message and must not carry marketing, but it contains ${quote(words)}.`,
        words,
      });
    }
  }

  if (channel === 'sms' && !isTransactional(kind) && !(zh ? zhOptOut : enOptOut).test(rendered)) {
    warnings.push({
      code: 'missing_opt_out',
      message: zh
        ? `${kind} is a ${cls} message and must carry the opt-out "拒收请回复R".`
        : `${kind} is a ${cls} message and must tell the buyer how to opt out, e.g. "Reply STOP to opt out".`,
    });
  }

  if (channel === 'sms') {
    const count = countSms(rendered);
    if (count.segments > segmentBudget) {
      warnings.push({
        code: 'over_segment_budget',
        message: `The SMS needs ${costOf(count)}; the budget is ${segmentBudget}. Each segment is billed.`,
      });
    }
    if (renderedLongest !== undefined) {
      const longest = countSms(renderedLongest);
      if (longest.segments > count.segments && longest.segments > segmentBudget) {
        warnings.push({
          code: 'variable_may_overflow',
          message: `With the longest realistic values the SMS needs ${costOf(longest)}, against ${count.segments} with the samples and a budget of ${segmentBudget}.`,
        });
      }
    }
  }

  if (zh && messageKinds[kind].audience === 'buyer') {
    const chars = [...rendered]; // the window counts characters, not UTF-16 units
    const blunt = new Set<string>();
    for (const match of rendered.matchAll(zhNegative)) {
      const at = [...rendered.slice(0, match.index)].length;
      const near = chars.slice(Math.max(0, at - apologyWindow), at + match[0].length + apologyWindow).join('');
      if (!zhApology.test(near)) blunt.add(match[0]);
    }
    if (blunt.size > 0) {
      warnings.push({
        code: 'negative_wording',
        message: `Advisory: ${quote(blunt)} reads blunt without an apology (抱歉 / 对不起 / 不好意思) nearby.`,
        words: [...blunt],
      });
    }
  }
  return warnings;
}
