/**
 * Remote regions: a shop-configurable list of provinces or cities whose
 * parcels take longer (or go by another courier). The thank-you message adds
 * the matching entry's note. Stored as JSON on the shop (`remote_regions`);
 * null means these defaults: Xinjiang, Tibet, Qinghai and Inner Mongolia, by
 * their Chinese and English names.
 */
import { z } from '@hono/zod-openapi';
import type { ShippingAddress } from '../db/schema';

export const remoteRegionSchema = z
  .strictObject({
    /** Matched, case-insensitively, as part of the address's province or city: 新疆, Xinjiang, 阿里地区. */
    match: z.string().trim().min(1).max(50),
    /** The note for Chinese-speaking buyers (and anyone when `note_en` is absent and the shop writes one language). */
    note: z.string().trim().min(1).max(200).optional(),
    /** The note for everyone else. */
    note_en: z.string().trim().min(1).max(200).optional(),
    /** Extra transit days; used in the note when the shop wrote none. */
    extra_days: z.number().int().min(0).max(30).default(0),
  })
  .openapi('RemoteRegion');

export const remoteRegionsSchema = z
  .array(remoteRegionSchema)
  .max(100)
  .openapi({ example: [{ match: '新疆', note: '新疆地区物流约需 5-7 天', extra_days: 3 }] });

export type RemoteRegion = z.infer<typeof remoteRegionSchema>;

const defaults: { names: string[]; zh: string; en: string; extra_days: number }[] = [
  {
    names: ['新疆', 'Xinjiang'],
    zh: '新疆地区路途较远，物流约需 5-7 天，请耐心等待',
    en: 'Parcels to Xinjiang usually take 5-7 days.',
    extra_days: 3,
  },
  {
    names: ['西藏', 'Tibet', 'Xizang'],
    zh: '西藏地区路途较远，物流约需 6-8 天，请耐心等待',
    en: 'Parcels to Tibet usually take 6-8 days.',
    extra_days: 4,
  },
  {
    names: ['青海', 'Qinghai'],
    zh: '青海地区物流约需 4-6 天，请耐心等待',
    en: 'Parcels to Qinghai usually take 4-6 days.',
    extra_days: 2,
  },
  {
    names: ['内蒙古', 'Inner Mongolia', 'Nei Mongol'],
    zh: '内蒙古地区物流约需 4-6 天，请耐心等待',
    en: 'Parcels to Inner Mongolia usually take 4-6 days.',
    extra_days: 2,
  },
];

export const defaultRemoteRegions: RemoteRegion[] = defaults.flatMap((d) =>
  d.names.map((match) => ({ match, note: d.zh, note_en: d.en, extra_days: d.extra_days })),
);

/** The shop's list, or the defaults when it has none stored. */
export function remoteRegions(stored: unknown): RemoteRegion[] {
  if (stored === null || stored === undefined) return defaultRemoteRegions;
  const parsed = remoteRegionsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultRemoteRegions;
}

/** The first entry whose `match` is part of the address's province or city. */
export function matchRemoteRegion(
  address: ShippingAddress | null | undefined,
  regions: RemoteRegion[],
): RemoteRegion | null {
  const places = [address?.province, address?.city].filter((p): p is string => !!p).map((p) => p.toLowerCase());
  if (places.length === 0) return null;
  return regions.find((r) => places.some((place) => place.includes(r.match.toLowerCase()))) ?? null;
}

/** The entry's note in the buyer's language, or one written from its extra days. */
export function remoteRegionNote(region: RemoteRegion, locale: string): string {
  const zh = /^zh(?:$|[-_])/i.test(locale);
  if (zh && region.note) return region.note;
  if (!zh && region.note_en) return region.note_en;
  if (zh) {
    return region.extra_days > 0
      ? `${region.match}地区路途较远，预计多需 ${region.extra_days} 天送达，请耐心等待`
      : `${region.match}地区路途较远，物流时间会稍长一些，请耐心等待`;
  }
  return region.extra_days > 0
    ? `Delivery to ${region.match} takes about ${region.extra_days} extra days.`
    : `Delivery to ${region.match} may take a little longer.`;
}
