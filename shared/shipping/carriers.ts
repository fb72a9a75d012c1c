/**
 * Carrier facts the notices need: the public tracking page of carriers that
 * have one, matched by the carrier name or code the shop sent (own-property
 * lookups only), and the words for a parcel's trouble in the buyer's language.
 */
import type { ShipmentStatus } from '../db/schema';

const pages: Record<string, (n: string) => string> = {
  sf: (n) => `https://www.sf-express.com/chn/sc/waybill/waybill-detail/${n}`,
  ems: (n) => `https://www.ems.com.cn/queryList?mailNum=${n}`,
  jd: (n) => `https://www.jdl.com/orderSearch/?waybillCodes=${n}`,
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
};

/** Names and codes shops use, normalised to the keys above. */
const aliases: Record<string, string> = {
  sf: 'sf',
  'sf express': 'sf',
  shunfeng: 'sf',
  顺丰: 'sf',
  顺丰速运: 'sf',
  ems: 'ems',
  中国邮政: 'ems',
  邮政ems: 'ems',
  jd: 'jd',
  京东: 'jd',
  京东物流: 'jd',
  ups: 'ups',
  fedex: 'fedex',
  dhl: 'dhl',
  usps: 'usps',
};

/** The carrier's tracking page for this parcel, or '' when the carrier has none we know. */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const name = carrier.trim().toLowerCase();
  const key = Object.hasOwn(aliases, name) ? aliases[name]! : undefined;
  return key ? pages[key]!(encodeURIComponent(trackingNumber)) : '';
}

const labels: Record<'zh' | 'en', Partial<Record<ShipmentStatus, string>>> = {
  zh: { exception: '物流异常', attempt_failed: '派送失败', returned: '包裹退回' },
  en: {
    exception: 'a delivery exception',
    attempt_failed: 'a failed delivery attempt',
    returned: 'returned to sender',
  },
};

/** What went wrong, in words; a refusal is named from the carrier's detail. */
export function troubleLabel(status: ShipmentStatus, detail: string | null, locale: string): string {
  const zh = locale.toLowerCase().startsWith('zh');
  if (detail && /拒收|拒签|refus/i.test(detail)) return zh ? '收件人拒收' : 'refused by the recipient';
  return labels[zh ? 'zh' : 'en'][status] ?? status;
}
