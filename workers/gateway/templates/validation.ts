/**
 * Checks a TemplateDocument before it is saved or rendered: its parts must be
 * the channel's (400), and every part of the base and each variant must pass
 * validateParts (422 `template_invalid`, naming part, line and column).
 */
import type { Channel, ChannelContent, TemplateDocument } from '../../../shared/db/schema';
import { ApiError, zodDetails, type ErrorDetail } from '../../../shared/http/errors';
import { classOf, type MessageKind } from '../../../shared/templates/kinds';
import { marketingWords } from '../../../shared/templates/lint';
import { firstWord, positionOf } from '../../../shared/templates/lint-position';
import { validateParts } from '../../../shared/templates/validate';
import { partsSchemas, type DocumentInput } from './schemas';

const partNames: Record<Channel, string> = {
  sms: '{body}',
  email: '{subject, html, text}',
  chat: '{markdown}',
  webhook: '{payload}',
};

/** Narrows the document to the channel's parts; `at` prefixes error paths (e.g. `document`). */
export function checkChannelParts<C extends Channel>(
  channel: C,
  doc: DocumentInput,
  at = '',
): TemplateDocument<ChannelContent[C]> {
  const prefix = at ? `${at}.` : '';
  const details: ErrorDetail[] = [];
  const check = (parts: unknown, path: string) => {
    const result = partsSchemas[channel].safeParse(parts);
    if (result.success) return;
    for (const d of zodDetails(result.error)) {
      details.push({
        path: [path, d.path].filter(Boolean).join('.'),
        message: `${channel} takes ${partNames[channel]}: ${d.message}`,
      });
    }
  };
  check(doc.parts, `${prefix}parts`);
  doc.variants?.forEach((v, i) => check(v.parts, `${prefix}variants.${i}.parts`));
  if (details.length > 0)
    throw new ApiError('validation_failed', `${details[0]!.path}: ${details[0]!.message}`, details);
  return doc as TemplateDocument<ChannelContent[C]>;
}

/**
 * Marketing wording written into a transactional or service kind (docs/MESSAGE-CLASSES.md): refused at save,
 * since those messages go out without marketing consent and, in China, as notification-type SMS. Each
 * refusal carries the line and column of the first word, like the Liquid errors.
 */
function marketingIssues(kind: MessageKind, prefix: string, parts: Record<string, string>): ErrorDetail[] {
  if (classOf(kind) === 'promotional') return [];
  return Object.entries(parts).flatMap(([part, source]) => {
    const words = typeof source === 'string' ? marketingWords(source) : [];
    if (words.length === 0) return [];
    const quoted = words.map((w) => `"${w}"`).join(', ');
    const { line, column } = positionOf(source, firstWord(source, words));
    return [
      {
        path: `${prefix}${part}`,
        message: `line ${line}, column ${column}: ${kind} is a ${classOf(kind)} message and must not carry marketing wording (${quoted})`,
        line,
        column,
      },
    ];
  });
}

/**
 * Runs the Liquid checks on the base and every variant; `atSave` adds the save-time refusal of marketing
 * wording outside promotional kinds (a preview only warns about it, through the lint).
 */
export function templateIssues(kind: MessageKind, doc: TemplateDocument, atSave = false): ErrorDetail[] {
  const sections = [
    { prefix: '', parts: doc.parts },
    ...(doc.variants ?? []).map((v, i) => ({ prefix: `variants.${i}.`, parts: v.parts })),
  ];
  return sections.flatMap(({ prefix, parts }) => [
    ...validateParts(kind, parts as Record<string, string>).map((issue) => ({
      path: `${prefix}${issue.part}`,
      message: `line ${issue.line}, column ${issue.column}: ${issue.message}`,
      line: issue.line,
      column: issue.column,
    })),
    ...(atSave ? marketingIssues(kind, prefix, parts as Record<string, string>) : []),
  ]);
}

/** @throws ApiError `template_invalid` (422) listing every issue. */
export function assertValidTemplate(kind: MessageKind, doc: TemplateDocument, atSave = false) {
  const details = templateIssues(kind, doc, atSave);
  if (details.length === 0) return;
  const first = details[0]!;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  throw new ApiError('template_invalid', `${first.path}, ${first.message}${more}`, details);
}
