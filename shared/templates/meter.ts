/**
 * Deterministic bounds on the work of one render. LiquidJS 10.30.1 (the latest release) ignores
 * `templateLimit` at run time and checks `renderLimit` only between template nodes, so one filter
 * call (a `where_exp` over a large range) or one loop could run for seconds. Every render here gets
 * its own work meter, charged:
 *  - by LiquidJS itself wherever it counts memory (ranges before they are built, array and string growth);
 *  - for every block rendered (each loop iteration, branch or capture): 8 + the source length of its nodes,
 *    so an expression costs what it takes to evaluate it;
 *  - for every filter call: the size of what it walks, times the length of its property or expression argument;
 *  - for every character written, captures included, which also may not exceed the output limit.
 * A render that runs out of budget fails with a render error; nothing runs unbounded.
 */
import { TokenKind, toValue, type Liquid, type Template } from 'liquidjs';

export const WORK_LIMITS = {
  /**
   * Work units per render. One unit is about 0.2-0.5 µs of CPU where it is dearest (evaluating an
   * expression, more on a loaded machine), so the worst template the limits allow stays well under
   * 50 ms of CPU (test/limits/liquid-worst-case.test.ts). A 500-item loop over a short line per item
   * (`{{ item.title }}×{{ item.quantity }}`) takes about half of it.
   */
  budget: 60_000,
  /** Items one filter may walk or produce, and one literal range may span. */
  maxItems: 2_000,
} as const;

export class WorkMeter {
  used = 0;
  constructor(readonly budget: number) {}
  /** LiquidJS's memory-limiter interface: charge `count` units. */
  use(count: number) {
    const n = +count;
    if (!(n > 0)) return;
    this.used += n;
    if (this.used > this.budget) throw new Error(`template work limit exceeded (${this.budget} units)`);
  }
  check(count: number) {
    this.use(count);
  }
}

type MeteredContext = { memoryLimit: { use(count: number): void } };

function text(value: unknown): string {
  const v = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(text).join('');
  return String(v);
}

/** Output that charges every character and stops at `maxChars`: top-level output and every capture. */
class MeteredEmitter {
  buffer = '';
  constructor(
    private readonly meter: WorkMeter,
    private readonly maxChars: number,
  ) {}
  write(html: unknown) {
    const s = text(html);
    this.meter.use(s.length);
    if (this.buffer.length + s.length > this.maxChars) {
      throw new Error(`rendered text exceeds ${this.maxChars} characters`);
    }
    this.buffer += s;
  }
}

/**
 * What rendering a node costs: its source length for tags and outputs (an expression costs about
 * what its text is long), a sixteenth of it for plain text, which is only copied.
 */
const nodeCost = (tpl: Template) => {
  const token = (tpl as { token?: { begin?: number; end?: number; kind?: number } }).token;
  if (!token || typeof token.begin !== 'number' || typeof token.end !== 'number') return 1;
  const length = token.end - token.begin;
  return 1 + (token.kind === TokenKind.HTML ? Math.ceil(length / 16) : length);
};

const sizeOf = (value: unknown): number => {
  const v = toValue(value);
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return v.length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  return 1;
};

function checkItems(value: unknown, what: string) {
  const v = toValue(value);
  if (Array.isArray(v) && v.length > WORK_LIMITS.maxItems) {
    throw new Error(`${what} has ${v.length} items; templates may use at most ${WORK_LIMITS.maxItems}`);
  }
}

/** Filters whose second argument is evaluated once per item: a property path or a Liquid expression. */
const PER_ITEM_ARG = new Set([
  'where',
  'reject',
  'group_by',
  'has',
  'find',
  'find_index',
  'map',
  'sort',
  'sort_natural',
  'sum',
  'compact',
  'uniq',
]);
const PER_ITEM_EXP = new Set(['where_exp', 'reject_exp', 'group_by_exp', 'has_exp', 'find_exp', 'find_index_exp']);

/** Wraps every registered filter with the charges above, and the renderer with block and output metering. */
export function meterLiquid(liquid: Liquid, maxOutputChars: number) {
  const filters = liquid.filters as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(filters)) {
    const original = filters[name]!;
    liquid.registerFilter(name, function* (this: { context: MeteredContext }, input: unknown, ...args: unknown[]) {
      checkItems(input, `the input of ${name}`);
      const items = sizeOf(input);
      const argCost = PER_ITEM_EXP.has(name) ? text(args[1]).length : PER_ITEM_ARG.has(name) ? text(args[0]).length : 0;
      const sorting = name.startsWith('sort') ? Math.ceil(Math.log2(items + 1)) : 1;
      this.context.memoryLimit.use(items * sorting * (1 + argCost) + args.reduce<number>((n, a) => n + sizeOf(a), 0));
      const out: unknown = yield original.apply(this, [input, ...args]);
      checkItems(out, `the result of ${name}`);
      return out;
    });
  }
  const renderer = liquid.renderer as unknown as {
    renderTemplates: (templates: Template[], ctx: MeteredContext, emitter?: unknown) => Generator<unknown, string>;
  };
  const renderTemplates = renderer.renderTemplates;
  renderer.renderTemplates = function (templates, ctx, emitter) {
    // A block's fixed cost (8) is what entering it costs next to one character of expression.
    ctx.memoryLimit.use(8 + templates.reduce((n, t) => n + nodeCost(t), 0));
    const meter = ctx.memoryLimit as WorkMeter;
    return renderTemplates.call(this, templates, ctx, emitter ?? new MeteredEmitter(meter, maxOutputChars));
  };
}

/** Literal ranges in a source larger than the item limit: refused when a template is saved. */
export function oversizedRanges(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\(\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*\)/g)) {
    if (Number(m[2]) - Number(m[1]) + 1 > WORK_LIMITS.maxItems) found.push(m[0]);
  }
  return found;
}
