/**
 * Where a lint finding belongs in the template source, computed once on the server so every
 * client shows it at the same place: the first occurrence of a word the finding names (marketing
 * or blunt wording), in part order; otherwise (a missing opt-out, too many segments, or a word that
 * came from the order data) the end of the main part, where an opt-out or a cut belongs.
 */
import type { LintWarning } from './lint';

export type SourcePosition = { part: string; line: number; column: number };

/** Parts searched in this order; the first one present is the main part. */
const partOrder = ['body', 'markdown', 'payload', 'subject', 'text', 'html'];

/** 1-based line and column of `index` in `text` (columns count UTF-16 units, as editors do). */
export function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - (before.lastIndexOf('\n') + 1) + 1 };
}

/** The first occurrence of any of `words` (case-insensitive) in `source`, or -1. */
export function firstWord(source: string, words: readonly string[]): number {
  const lower = source.toLowerCase();
  const found = words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0);
  return found.length ? Math.min(...found) : -1;
}

export function lintPosition(warning: LintWarning, parts: Record<string, string>): SourcePosition {
  const names = [...partOrder.filter((p) => typeof parts[p] === 'string'), ...Object.keys(parts)];
  for (const part of warning.words?.length ? names : []) {
    const at = firstWord(parts[part]!, warning.words!);
    if (at >= 0) return { part, ...positionOf(parts[part]!, at) };
  }
  const main = names.find((p) => p !== 'subject') ?? names[0] ?? 'body';
  const text = parts[main] ?? '';
  return { part: main, ...positionOf(text, text.length) };
}
