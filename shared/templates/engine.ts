/**
 * The one LiquidJS instance every template renders through, locked down:
 * own properties only, unknown filters rejected at parse time, no file system,
 * no include/render/layout, and limits on size, render time and allocations.
 */
import { Liquid, type Template } from 'liquidjs';

export const LIMITS = {
  /** Characters per template part. */
  partChars: 8_000,
  /**
   * Wall-clock milliseconds per render() call: a last resort only. Loops and growth are bounded
   * deterministically by `renderSteps` and `memory`; a tight time limit failed ordinary renders
   * on a busy machine.
   */
  renderMs: 1_000,
  /** Tag/output renders per render() call (bounds loops). */
  renderSteps: 5_000,
  /** LiquidJS allocation units per render() (array/string growth). */
  memory: 1_000_000,
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
    memoryLimit: LIMITS.memory,
  });
  // Partials would reach beyond the stored template; the tags simply do not exist here.
  for (const tag of ['include', 'render', 'layout', 'block']) delete (liquid.tags as Record<string, unknown>)[tag];
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

export async function renderParsed(templates: Template[], data: Record<string, unknown>): Promise<string> {
  let out: string;
  try {
    // Sync rendering: no tag or filter here does I/O, and LiquidJS's async path (compiled down in the
    // Workers bundle) cost 15-30x more per render (bench/profile-render.ts).
    out = liquid.renderSync(templates, data, { templateLimit: LIMITS.renderSteps });
  } catch (error) {
    throw new TemplateRenderError('render_failed', error instanceof Error ? error.message : String(error));
  }
  if (out.length > LIMITS.outputChars) {
    throw new TemplateRenderError('output_too_long', `Rendered text exceeds ${LIMITS.outputChars} characters`);
  }
  return out;
}
