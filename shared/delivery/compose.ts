/** Renders a kind for one channel, or several, with the shop's effective template (or the default). */
import type { Db } from '../db/client';
import type { Channel, Shop, TemplateContent } from '../db/schema';
import type { MessageKind } from '../templates/kinds';
import { renderMessage } from '../templates/render';
import { resolveTemplates, type ResolvedTemplate } from '../templates/store';
import type { Audience } from '../templates/variants';
import { shortenLinks, type Shortened } from '../links/shorten';
import { perBatch } from '../db/reads';

export type Composed = { rendered: TemplateContent; templateVersionId: string | null; variant: string };
/** A composed text with the short links its SMS body now carries (none for other channels). */
export type ComposedText = Composed & { links: Shortened['links'] };

export type ComposeInput = {
  shop: Shop;
  kind: MessageKind;
  locale: string;
  data: Record<string, unknown>;
  audience: Audience;
  seed: string;
  /** The gateway's public base URL: when given, links in an SMS body become short links on it. */
  shortLinksOn?: string;
};

export async function compose(db: Db, input: ComposeInput & { channel: Channel }): Promise<ComposedText> {
  const [composed] = await composeEach(db, input, [input.channel]);
  if (composed!.status === 'rejected') throw composed!.reason;
  return composed!.value;
}

/**
 * Renders the message for each of `channels` (its templates looked up together), each result settled on
 * its own: a message's fallback channels must not fail the message when one of their texts does not render.
 */
export async function composeEach(
  db: Db,
  input: ComposeInput,
  channels: Channel[],
  memo?: TemplateMemo,
): Promise<PromiseSettledResult<ComposedText>[]> {
  const templates = await lookup(db, input, channels, memo);
  return Promise.allSettled(channels.map((channel, i) => render(input, channel, templates[i]!)));
}

/**
 * The templates a pass has looked up, by shop, kind, locale and channels: a pass planning a batch of
 * messages reads each template once, not once per message. Lives for one pass only, so a published
 * change reaches the next pass.
 */
export type TemplateMemo = Map<string, Promise<ResolvedTemplate<Channel>[]>>;

function lookup(db: Db, input: ComposeInput, channels: Channel[], memo: TemplateMemo | undefined) {
  const key = JSON.stringify([input.shop.id, input.kind, input.locale, channels]);
  const read = () => resolveTemplates(db, input.shop.id, input.kind, channels, input.locale);
  // A trigger's lookups are shared with the other triggers of its queue batch (shared/db/reads.ts).
  if (!memo) return perBatch(db, `templates:${key}`, read);
  let found = memo.get(key);
  if (!found) {
    found = read();
    memo.set(key, found);
  }
  return found;
}

async function render(
  input: ComposeInput,
  channel: Channel,
  template: ResolvedTemplate<Channel>,
): Promise<ComposedText> {
  const { parts, variant } = await renderMessage({
    channel,
    doc: template.doc,
    sourceKey: template.sourceKey,
    data: input.data,
    audience: input.audience,
    seed: input.seed,
    signature: { text: input.shop.smsSignature, position: input.shop.smsSignaturePosition },
  });
  if (channel === 'sms' && input.shortLinksOn) {
    const { body, links } = shortenLinks((parts as { body: string }).body, input.shortLinksOn);
    return { rendered: { ...parts, body }, templateVersionId: template.versionId, variant, links };
  }
  return { rendered: parts, templateVersionId: template.versionId, variant, links: [] };
}
