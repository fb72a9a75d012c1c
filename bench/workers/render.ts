/**
 * The rendering bench worker (bundled by bench/render.ts with esbuild, run on workerd).
 *
 * `POST /render?impl=orderbell|raw&n=N&channel=sms|email` renders the zh-CN `unpaid_reminder` default
 * N times with `sampleData('unpaid_reminder')`, and answers `{ n, sample, renderLimitHits, signature }`
 * (sample = the last render; renderLimitHits: see `isRenderLimit`).
 * - orderbell: `renderMessage` with the default's fixed sourceKey (so the parse cache hits after the
 *   first call), a fixed seed and an SMS signature: what a flow does per message.
 * - raw: a `new Liquid()` with default options; each part parsed once, outside the loop; then
 *   `liquid.renderSync(parsed, data)` for each part, as orderbell's engine renders.
 * Diagnostics only (bench/profile-render.ts; not part of the figure):
 * - raw-async: the raw instance with the async `render`, which orderbell used to call.
 * workerd's clocks do not advance during CPU work on Cloudflare, so no timing happens here: the
 * caller times each request from Node. `renderBatch` is exported so Node can profile the same bundle.
 */
import { Liquid, type Template } from 'liquidjs';
import { sampleData } from '../../shared/templates/catalogue';
import { renderMessage } from '../../shared/templates/render';
import { defaultTemplate } from '../../shared/templates/store';

export const IMPLS = ['orderbell', 'raw', 'raw-async'] as const;
export type Impl = (typeof IMPLS)[number];
export type BenchChannel = 'sms' | 'email';

const KIND = 'unpaid_reminder';
const LOCALE = 'zh-CN';
const data = sampleData(KIND);
const signature = { text: '茶小铺', position: 'start' as const };
const audience = { returning: false, persona: null };
const seed = 'bench_order_1';

const rawLiquid = new Liquid();
const rawParsed = new Map<BenchChannel, [string, Template[]][]>();

function rawTemplates(channel: BenchChannel): [string, Template[]][] {
  let parts = rawParsed.get(channel);
  if (!parts) {
    const { doc } = defaultTemplate(KIND, channel, LOCALE);
    parts = Object.entries(doc.parts as Record<string, string>).map(([part, source]) => [
      part,
      rawLiquid.parse(source),
    ]);
    rawParsed.set(channel, parts);
  }
  return parts;
}

/**
 * orderbell's engine sets LiquidJS's renderLimit (a wall-clock last resort per render). It is wall-clock time, and locally
 * workerd's clock runs during CPU work, so a stall of the thread (other load on the machine, a GC
 * pause) can fail a render that did nothing wrong. Such renders are counted, not fatal: the caller
 * reports them and re-runs a batch where they are more than a trace.
 */
const isRenderLimit = (error: unknown) => error instanceof Error && error.message.includes('render limit exceeded');

export type BatchResult = { last: Record<string, string>; renderLimitHits: number };

/** Renders n messages; returns the last one's parts and how many renders hit the renderLimit. */
export async function renderBatch(impl: Impl, channel: BenchChannel, n: number): Promise<BatchResult> {
  let last: Record<string, string> = {};
  let renderLimitHits = 0;
  if (impl === 'orderbell') {
    const { doc, sourceKey } = defaultTemplate(KIND, channel, LOCALE);
    for (let i = 0; i < n; i++) {
      try {
        const rendered = await renderMessage({ channel, doc, sourceKey, data, audience, seed, signature });
        last = rendered.parts as Record<string, string>;
      } catch (error) {
        if (!isRenderLimit(error)) throw error;
        renderLimitHits += 1;
      }
    }
  } else {
    const parts = rawTemplates(channel);
    const sync = impl === 'raw';
    for (let i = 0; i < n; i++) {
      const out: Record<string, string> = {};
      for (const [part, templates] of parts) {
        out[part] = sync ? rawLiquid.renderSync(templates, data) : await rawLiquid.render(templates, data);
      }
      last = out;
    }
  }
  return { last, renderLimitHits };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/render') return new Response('not found', { status: 404 });
    const impl = url.searchParams.get('impl') as Impl;
    const channel = url.searchParams.get('channel');
    const n = Number(url.searchParams.get('n') ?? '1');
    if (!IMPLS.includes(impl) || (channel !== 'sms' && channel !== 'email')) {
      return new Response(`impl must be one of ${IMPLS.join('|')} and channel sms|email`, { status: 400 });
    }
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) return new Response('n must be 1..1000000', { status: 400 });
    try {
      const { last, renderLimitHits } = await renderBatch(impl, channel, n);
      return Response.json({ n, sample: last, renderLimitHits, signature: signature.text });
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
};
