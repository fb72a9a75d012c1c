/**
 * The one LiquidJS instance every template renders through, locked down:
 * own properties only, unknown filters rejected at parse time, no file system,
 * no include/render/layout, limits on size and render time, and a work meter
 * per render that bounds loops, filters, captures and output (./meter.ts).
 */
import { Context, Liquid, type Template } from 'liquidjs';
import { meterLiquid, WORK_LIMITS, WorkMeter } from './meter';

export const LIMITS = {
  /** Characters per template part. */
  partChars: 8_000,
  /**
   * Wall-clock milliseconds per render() call: a last resort only. Loops, filters and growth are
   * bounded deterministically by the work meter; a tight time limit failed ordinary renders on a
   * busy machine.
   */
  renderMs: 1_000,
  /** Work units per render (./meter.ts): blocks, filter walks, ranges, growth and output. */
  work: WORK_LIMITS.budget,
  /** Items a filter may walk or produce, and a literal range may span. */
  items: WORK_LIMITS.maxItems,
  /** Characters of rendered output per part. */
  outputChars: 20_000,
} as const;

const noFileSystem = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => Promise.reject(new Error('templates cannot read files')),
  readFileSync: () => {
    throw new Error('templates cannot read files');
  },
  resolve: (_root: string, file: string) => file,
};

function createLiquid(): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    dynamicPartials: false,
    relativeReference: false,
    fs: noFileSystem,
    templates: {},
    parseLimit: LIMITS.partChars,
    renderLimit: LIMITS.renderMs,
  });
  // Partials would reach beyond the stored template; the tags simply do not exist here.
  for (const tag of ['include', 'render', 'layout', 'block']) delete (liquid.tags as Record<string, unknown>)[tag];
  meterLiquid(liquid, LIMITS.outputChars);
  return liquid;
}

export const liquid = createLiquid();

/** Parsed templates by cache key (a version id + part, or a hash of built-in text). */
const parsed = new Map<string, Template[]>();
const MAX_CACHED = 2_000;

/** Parses once per key; the most recently used keys stay cached. */
export function parseCached(key: string, source: string): Template[] {
  const hit = parsed.get(key);
  if (hit) {
    parsed.delete(key);
    parsed.set(key, hit);
    return hit;
  }
  const templates = liquid.parse(source);
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, templates);
  return templates;
}

export class TemplateRenderError extends Error {
  constructor(
    readonly code: 'render_failed' | 'output_too_long',
    message: string,
  ) {
    super(message);
  }
}

/** Renders synchronously under the work meter and the output limit; throws TemplateRenderError. */
export function renderPartSync(templates: Template[], data: Record<string, unknown>): string {
  let out: string;
  try {
    // Sync rendering: no tag or filter here does I/O, and LiquidJS's async path (compiled down in the
    // Workers bundle) cost 15-30x more per render (bench/profile-render.ts).
    const ctx = new Context(
      data,
      liquid.options,
      { sync: true },
      {
        liquid,
        // Duck-typed: LiquidJS only calls use() on its memory limiter.
        memoryLimit: new WorkMeter(LIMITS.work) as unknown as Context['memoryLimit'],
      },
    );
    out = liquid.renderSync(templates, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^rendered text exceeds/.test(message)) throw new TemplateRenderError('output_too_long', message);
    throw new TemplateRenderError('render_failed', message);
  }
  if (out.length > LIMITS.outputChars) {
    throw new TemplateRenderError('output_too_long', `Rendered text exceeds ${LIMITS.outputChars} characters`);
  }
  return out;
}

export async function renderParsed(templates: Template[], data: Record<string, unknown>): Promise<string> {
  return renderPartSync(templates, data);
}
