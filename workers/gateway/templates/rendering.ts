/**
 * The preview pipeline shared by preview and test send: resolve the text,
 * build the data, render (optionally forcing a variant), count the SMS with
 * the shop's signature and lint the result.
 */
import type { Db } from '../../../shared/db/client';
import type { Channel, ChannelContent, Shop, TemplateDocument } from '../../../shared/db/schema';
import { ApiError } from '../../../shared/http/errors';
import { TemplateRenderError } from '../../../shared/templates/engine';
import { lintMessage, type LintWarning } from '../../../shared/templates/lint';
import { lintPosition, type SourcePosition } from '../../../shared/templates/lint-position';
import { renderMessage, type RenderInput } from '../../../shared/templates/render';
import { countSms, type SmsCount } from '../../../shared/templates/segments';
import { PREVIEW_CODE, shortenLinks } from '../../../shared/links/shorten';
import { previewData, type AudienceInput } from './data';
import { resolveSource, type Source, type SourceRequest } from './source';

export type PreviewRequest = SourceRequest & {
  orderId?: string;
  variant?: string;
  audience?: AudienceInput;
  segmentBudget?: number;
  /**
   * The gateway's public URL: an SMS preview shows its links as the short links planning will put in
   * (`${PUBLIC_URL}/s/XXXXXXXX`), so its length and parts are what will be sent. A test send leaves
   * it out and sends the full links: its code would lead nowhere.
   */
  shortLinksOn?: string;
};

export type Preview = {
  rendered: ChannelContent[Channel];
  variant: string;
  sms?: SmsCount & { signature: string | null };
  /** Each with where it belongs in the rendered variant's source. */
  warnings: (LintWarning & SourcePosition)[];
  sampleVariables: string[];
  source: Source;
  /** The data rendered from, kept with a test send (providers like Aliyun send these values). */
  data: Record<string, unknown>;
};

/** The variant named by the request, as a one-text document with its own parse-cache key. */
function forced(source: Source, key: string): { doc: TemplateDocument; sourceKey: string } {
  const parts = key === 'base' ? source.doc.parts : source.doc.variants?.find((v) => v.key === key)?.parts;
  if (!parts) {
    const known = ['base', ...(source.doc.variants ?? []).map((v) => v.key)].join(', ');
    throw new ApiError('validation_failed', `variant: no variant "${key}" (this text has ${known})`, [
      { path: 'variant', message: `no variant "${key}"; choose one of ${known}` },
    ]);
  }
  return { doc: { parts }, sourceKey: `${source.sourceKey}#${key}` };
}

/** The text the lint reads: the SMS body with its signature, the email subject and text, or the single part. */
function lintText(channel: Channel, parts: Record<string, string>): string {
  if (channel === 'email') return `${parts.subject}\n${parts.text}`;
  return parts.body ?? parts.markdown ?? parts.payload ?? '';
}

async function render(input: RenderInput<Channel>) {
  try {
    return await renderMessage(input);
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    throw new ApiError('template_invalid', `The template failed to render: ${error.message}`, [
      { path: 'document', message: error.message },
    ]);
  }
}

export async function preview(d: Db, shop: Shop, req: PreviewRequest): Promise<Preview> {
  const source = await resolveSource(d, shop.id, req);
  const ctx = await previewData(d, shop, req);
  const text = req.variant ? forced(source, req.variant) : source;
  const base = {
    channel: req.channel,
    doc: text.doc,
    sourceKey: text.sourceKey,
    audience: ctx.audience,
    seed: ctx.seed,
    signature: { text: shop.smsSignature, position: shop.smsSignaturePosition },
  };
  const out = await render({ ...base, data: ctx.data });
  const variant = req.variant ?? out.variant;
  const parts = out.parts as Record<string, string>;
  const asSent = (body: string) =>
    req.shortLinksOn ? shortenLinks(body, req.shortLinksOn, () => PREVIEW_CODE).body : body;
  let sms: Preview['sms'];
  let renderedLongest: string | undefined;
  if (req.channel === 'sms') {
    parts.body = asSent(parts.body!);
    sms = { ...countSms(parts.body), signature: shop.smsSignature };
    // Same audience and seed, so the same variant is drawn; only the data differs.
    renderedLongest = asSent(((await render({ ...base, data: ctx.longest })).parts as Record<string, string>).body!);
  }
  const warnings = lintMessage({
    kind: req.kind,
    channel: req.channel,
    locale: req.locale,
    rendered: lintText(req.channel, parts),
    renderedLongest,
    segmentBudget: req.segmentBudget,
  });
  const doc = text.doc;
  const sourceParts = (
    variant === 'base' ? doc.parts : (doc.variants?.find((v) => v.key === variant)?.parts ?? doc.parts)
  ) as Record<string, string>;
  const located = warnings.map((w) => ({ ...w, ...lintPosition(w, sourceParts) }));
  return {
    rendered: out.parts,
    variant,
    sms,
    warnings: located,
    sampleVariables: ctx.sampleVariables,
    source,
    data: ctx.data,
  };
}
