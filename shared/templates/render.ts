/**
 * Rendering a message: choose the variant, render each part from the parse
 * cache, put the SMS signature in place, and check a webhook payload is JSON.
 */
import type { Channel, ChannelContent } from '../channels/channel';
import type { TemplateDocument } from './document';
import { parseCached, renderParsed, TemplateRenderError } from './engine';
import { withSignature } from './segments';
import { chooseVariant, type Audience } from './variants';

export type SmsSignature = { text?: string | null; position?: 'start' | 'end' };

export type RenderInput<C extends Channel> = {
  channel: C;
  doc: TemplateDocument<ChannelContent[C]>;
  /** Identifies the source text for the parse cache: a version id, or `default:<kind>:<channel>:<locale>`. */
  sourceKey: string;
  data: Record<string, unknown>;
  audience: Audience;
  /** Seed of the variant draw, normally the order id. */
  seed: string;
  signature?: SmsSignature;
};

export type Rendered<C extends Channel> = { parts: ChannelContent[C]; variant: string };

export async function renderMessage<C extends Channel>(input: RenderInput<C>): Promise<Rendered<C>> {
  const chosen = chooseVariant(input.doc, input.audience, `${input.sourceKey}:${input.seed}`);
  const out: Record<string, string> = {};
  for (const [part, source] of Object.entries(chosen.parts as Record<string, string>)) {
    const templates = parseCached(`${input.sourceKey}:${chosen.key}:${part}`, source);
    out[part] = await renderParsed(templates, input.data);
  }
  if (input.channel === 'sms') {
    out.body = withSignature(out.body!.trim(), input.signature?.text ?? undefined, input.signature?.position);
  }
  if (input.channel === 'webhook') {
    try {
      JSON.parse(out.payload!);
    } catch {
      throw new TemplateRenderError('render_failed', 'The webhook payload did not render to valid JSON');
    }
  }
  return { parts: out as ChannelContent[C], variant: chosen.key };
}
