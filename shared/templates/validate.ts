/**
 * Save-time checks of a template's parts: syntax, unknown filters and tags (from
 * the parser), size, and every variable against the kind's catalogue, each with
 * its line and column.
 */
import type { Variable } from 'liquidjs';
import { catalogue, sampleData, type VariableSpec } from './catalogue';
import { LIMITS, liquid, renderPartSync } from './engine';
import { oversizedRanges } from './meter';
import type { MessageKind } from './kinds';

export type TemplateIssue = {
  part: string;
  code: 'syntax' | 'unknown_variable' | 'too_large';
  message: string;
  line: number;
  column: number;
};

/** Segments a list variable may be followed by before an element field. */
const LIST_ACCESSORS = new Set(['size', 'first', 'last']);

function knownPath(specs: VariableSpec[], segments: (string | number)[]): boolean {
  const path = segments.join('.');
  if (specs.some((s) => s.path === path && s.type !== 'list')) return true;
  for (const spec of specs.filter((s) => s.type === 'list')) {
    const root = spec.path.split('.');
    if (root.some((key, i) => segments[i] !== key)) continue;
    const rest = segments.slice(root.length);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === 'size')) return true;
    const [accessor, field, ...more] = rest;
    const isElement = typeof accessor === 'number' || accessor === 'first' || accessor === 'last';
    if (isElement && more.length === 0 && (field === undefined || spec.item?.some((i) => i.path === field)))
      return true;
    if (LIST_ACCESSORS.has(String(accessor)) && field === undefined) return true;
  }
  return false;
}

/** A dynamic segment such as `items[i]` counts as an element index. */
const flatten = (v: Variable) => v.segments.map((s) => (typeof s === 'object' ? 0 : s));

function parseIssue(part: string, error: unknown): TemplateIssue {
  const e = error as { message?: string; token?: { getPosition?: () => [number, number] } };
  const [line, column] = e.token?.getPosition?.() ?? [1, 1];
  const message = (e.message ?? String(error)).replace(/, line:\d+, col:\d+$/, '');
  return { part, code: 'syntax', message, line, column };
}

/**
 * A dry run with the kind's longest sample data: a template that already runs out of work or output
 * there would fail on real orders too, so it is refused at save time rather than at send time.
 */
function exceedsLimits(templates: ReturnType<typeof liquid.parse>, kind: MessageKind): string | undefined {
  try {
    renderPartSync(templates, sampleData(kind, 'longest'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/limit exceeded|at most \d+|exceeds \d+ characters/.test(message)) {
      return `exceeds the template limits with sample data: ${message.replace(/, line:\d+, col:\d+$/, '')}`;
    }
  }
  return undefined;
}

/** Validates each part; an empty result means the template may be saved. */
export function validateParts(kind: MessageKind, parts: Record<string, string>): TemplateIssue[] {
  const specs = catalogue[kind];
  const issues: TemplateIssue[] = [];
  for (const [part, source] of Object.entries(parts)) {
    if (source.length > LIMITS.partChars) {
      issues.push({
        part,
        code: 'too_large',
        message: `longer than ${LIMITS.partChars} characters`,
        line: 1,
        column: 1,
      });
      continue;
    }
    const ranges = oversizedRanges(source);
    if (ranges.length > 0) {
      const message = `range ${ranges[0]} spans more than ${LIMITS.items} items`;
      issues.push({ part, code: 'too_large', message, line: 1, column: 1 });
      continue;
    }
    let templates;
    try {
      templates = liquid.parse(source);
    } catch (error) {
      issues.push(parseIssue(part, error));
      continue;
    }
    const overBudget = exceedsLimits(templates, kind);
    if (overBudget) {
      issues.push({ part, code: 'too_large', message: overBudget, line: 1, column: 1 });
      continue;
    }
    const { globals } = liquid.analyzeSync(templates, { partials: false });
    for (const variables of Object.values(globals)) {
      for (const variable of variables) {
        if (knownPath(specs, flatten(variable))) continue;
        issues.push({
          part,
          code: 'unknown_variable',
          message: `unknown variable "${variable.toString()}" for ${kind}`,
          line: variable.location.row,
          column: variable.location.col,
        });
      }
    }
  }
  return issues;
}
