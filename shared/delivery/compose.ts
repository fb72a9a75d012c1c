/** Renders a kind for one channel with the shop's effective template (or the default). */
import type { Db } from '../db/client';
import type { Channel, Shop, TemplateContent } from '../db/schema';
import type { MessageKind } from '../templates/kinds';
import { renderMessage } from '../templates/render';
import { resolveTemplate } from '../templates/store';
import type { Audience } from '../templates/variants';

export type Composed = { rendered: TemplateContent; templateVersionId: string | null; variant: string };

export async function compose(
  db: Db,
  input: {
    shop: Shop;
    kind: MessageKind;
    channel: Channel;
    locale: string;
    data: Record<string, unknown>;
    audience: Audience;
    seed: string;
  },
): Promise<Composed> {
  const template = await resolveTemplate(db, input.shop.id, input.kind, input.channel, input.locale);
  const { parts, variant } = await renderMessage({
    channel: input.channel,
    doc: template.doc,
    sourceKey: template.sourceKey,
    data: input.data,
    audience: input.audience,
    seed: input.seed,
    signature: { text: input.shop.smsSignature, position: input.shop.smsSignaturePosition },
  });
  return { rendered: parts, templateVersionId: template.versionId, variant };
}
