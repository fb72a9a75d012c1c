/** Renders a kind for one channel, or several, with the shop's effective template (or the default). */
import type { Db } from '../db/client';
import type { Channel, Shop, TemplateContent } from '../db/schema';
import type { MessageKind } from '../templates/kinds';
import { renderMessage } from '../templates/render';
import { resolveTemplates, type ResolvedTemplate } from '../templates/store';
import type { Audience } from '../templates/variants';

export type Composed = { rendered: TemplateContent; templateVersionId: string | null; variant: string };

export type ComposeInput = {
  shop: Shop;
  kind: MessageKind;
  locale: string;
  data: Record<string, unknown>;
  audience: Audience;
  seed: string;
};

export async function compose(db: Db, input: ComposeInput & { channel: Channel }): Promise<Composed> {
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
): Promise<PromiseSettledResult<Composed>[]> {
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
  if (!memo) return resolveTemplates(db, input.shop.id, input.kind, channels, input.locale);
  const key = JSON.stringify([input.shop.id, input.kind, input.locale, channels]);
  let found = memo.get(key);
  if (!found) {
    found = resolveTemplates(db, input.shop.id, input.kind, channels, input.locale);
    memo.set(key, found);
  }
  return found;
}

async function render(input: ComposeInput, channel: Channel, template: ResolvedTemplate<Channel>): Promise<Composed> {
  const { parts, variant } = await renderMessage({
    channel,
    doc: template.doc,
    sourceKey: template.sourceKey,
    data: input.data,
    audience: input.audience,
    seed: input.seed,
    signature: { text: input.shop.smsSignature, position: input.shop.smsSignaturePosition },
  });
  return { rendered: parts, templateVersionId: template.versionId, variant };
}
