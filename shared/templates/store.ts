/**
 * Finding the text to send: the shop's published version for (kind, channel,
 * locale), falling back to a template of the same language, then to the
 * built-in default of that language.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
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
  const candidates = await db.query.templates.findMany({
    where: and(
      eq(templates.shopId, shopId),
      eq(templates.kind, kind),
      eq(templates.channel, channel),
      isNotNull(templates.publishedVersionId),
    ),
  });
  const pick =
    candidates.find((t) => t.locale.toLowerCase() === locale.toLowerCase()) ??
    candidates.find((t) => language(t.locale) === language(locale));
  if (pick?.publishedVersionId) {
    const version = await db.query.templateVersions.findFirst({
      where: and(eq(templateVersions.shopId, shopId), eq(templateVersions.id, pick.publishedVersionId)),
    });
    if (version) {
      return {
        doc: version.content as TemplateDocument<ChannelContent[C]>,
        sourceKey: version.id,
        versionId: version.id,
        locale: pick.locale,
      };
    }
  }
  return defaultTemplate(kind, channel, locale);
}
