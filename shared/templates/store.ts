/**
 * Finding the text to send: the shop's published version for (kind, channel,
 * locale), falling back to a template of the same language, then to the
 * built-in default of that language.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { templates, templateVersions, type Channel, type ChannelContent, type TemplateDocument } from '../db/schema';
import { defaultContent, defaultLocaleFor } from './defaults';
import type { MessageKind } from './kinds';

export type ResolvedTemplate<C extends Channel> = {
  doc: TemplateDocument<ChannelContent[C]>;
  /** Parse-cache key of the text: the version id, or the default's coordinates. */
  sourceKey: string;
  versionId: string | null;
  locale: string;
};

const language = (locale: string) => locale.split('-')[0]!.toLowerCase();

export function defaultTemplate<C extends Channel>(kind: MessageKind, channel: C, locale: string): ResolvedTemplate<C> {
  const fallback = defaultLocaleFor(locale);
  return {
    doc: { parts: defaultContent(kind, channel, fallback) as ChannelContent[C] },
    sourceKey: `default:${kind}:${channel}:${fallback}`,
    versionId: null,
    locale: fallback,
  };
}

export async function resolveTemplate<C extends Channel>(
  db: Db,
  shopId: string,
  kind: MessageKind,
  channel: C,
  locale: string,
): Promise<ResolvedTemplate<C>> {
  const [resolved] = await resolveTemplates(db, shopId, kind, [channel], locale);
  return resolved!;
}

/**
 * `resolveTemplate` for several channels of one kind at once (a message and its fallback channels), in
 * at most two queries whatever the number of channels. The result follows the order of `channels`.
 */
export async function resolveTemplates<C extends Channel>(
  db: Db,
  shopId: string,
  kind: MessageKind,
  channels: C[],
  locale: string,
): Promise<ResolvedTemplate<C>[]> {
  if (channels.length === 0) return [];
  const candidates = await db.query.templates.findMany({
    where: and(
      eq(templates.shopId, shopId),
      eq(templates.kind, kind),
      inArray(templates.channel, channels),
      isNotNull(templates.publishedVersionId),
    ),
  });
  const picks = channels.map((channel) => {
    const own = candidates.filter((t) => t.channel === channel);
    return (
      own.find((t) => t.locale.toLowerCase() === locale.toLowerCase()) ??
      own.find((t) => language(t.locale) === language(locale))
    );
  });
  const versionIds = picks.flatMap((pick) => (pick?.publishedVersionId ? [pick.publishedVersionId] : []));
  const versions = versionIds.length
    ? await db.query.templateVersions.findMany({
        where: and(eq(templateVersions.shopId, shopId), inArray(templateVersions.id, versionIds)),
      })
    : [];
  return channels.map((channel, i) => {
    const pick = picks[i];
    const version = versions.find((v) => v.id === pick?.publishedVersionId);
    if (pick && version) {
      return {
        doc: version.content as TemplateDocument<ChannelContent[C]>,
        sourceKey: version.id,
        versionId: version.id,
        locale: pick.locale,
      };
    }
    return defaultTemplate(kind, channel, locale);
  });
}
