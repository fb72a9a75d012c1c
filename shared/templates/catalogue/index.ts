/**
 * The variable catalogue per message kind: what a template may reference, with a
 * type, a description and samples. It drives save-time validation, the preview's
 * sample data and the console's autocomplete.
 */
import type { MessageKind } from '../kinds';
import { buyerVars, commonVars, orderVars, shipmentVars, shopVars } from './common';
import type { VariableSpec } from './types';

export type { VariableSpec, VariableType } from './types';

const v = (
  path: string,
  type: VariableSpec['type'],
  description: string,
  sample: unknown,
  longest?: unknown,
): VariableSpec => ({
  path,
  type,
  description,
  sample,
  ...(longest === undefined ? {} : { longest }),
});

const payUrl = v('pay_url', 'url', 'One-tap link to pay the order', 'https://t.ob.example/p/Xy7Qa');
const reviewUrl = v('review_url', 'url', 'Link to leave a review', 'https://t.ob.example/r/Rv9Kd');
const cutoff = [
  v('cutoff.local_time', 'string', "Today's shipping cutoff, shop time (HH:MM)", '18:00'),
  v('cutoff.ships_today', 'boolean', 'True when paying now still ships today', true),
  v(
    'ship_day.label',
    'string',
    'The shipping day if paid now: 今天 / 明天 / 11月12日 (en: today / tomorrow / Nov 12)',
    '今天',
    '11月12日（周四）',
  ),
];
const address = [
  v(
    'address.summary',
    'string',
    'Receiving address in one line',
    '浙江省杭州市西湖区文三路 100 号',
    '新疆维吾尔自治区乌鲁木齐市天山区解放北路 1234 号 5 单元 601 室',
  ),
  v('address.confirm_url', 'url', 'One-tap link to confirm or correct the address', 'https://t.ob.example/a/Ad4Fg'),
];
const region = [
  v('region.remote', 'boolean', 'True for remote regions with longer transit', false),
  v(
    'region.note',
    'string',
    'Transit note for remote regions (empty otherwise)',
    '',
    '新疆地区物流约需 5-7 天，请耐心等待',
  ),
  v('region.extra_days', 'number', 'Extra transit days for the remote region (0 otherwise)', 0, 4),
];
/** For staff only: the buyer's correction and the order's address in full. */
const correction = [
  v(
    'correction.text',
    'string',
    "The buyer's correction, in their own words",
    '门牌号写错了，是 6 单元 601 室',
    '收货地址写错了，应该是浙江省杭州市西湖区文三路 100 号 6 单元 601 室，收件人王小明，电话 13812345678',
  ),
  v('correction.requested_at', 'datetime', 'When the buyer asked (ISO 8601)', '2026-11-11T09:30:00.000Z'),
  v(
    'address.summary',
    'string',
    'The receiving address in one line, unmasked',
    '浙江省杭州市西湖区文三路 100 号（王小明）',
  ),
  v('address.name', 'string', 'Recipient name', '王小明', '欧阳慕容晓明'),
  v('address.phone', 'string', 'Recipient phone (E.164, may be empty)', '+8613812345678'),
  v('address.country', 'string', 'Country (ISO 3166-1 alpha-2)', 'CN'),
  v('address.province', 'string', 'Province or state (may be empty)', '浙江省', '新疆维吾尔自治区'),
  v('address.city', 'string', 'City (may be empty)', '杭州市', '乌鲁木齐市'),
  v('address.district', 'string', 'District (may be empty)', '西湖区', '天山区'),
  v('address.line1', 'string', 'Street and number', '文三路 100 号', '解放北路 1234 号 5 单元 601 室'),
  v('address.postal_code', 'string', 'Postal code (may be empty)', '310012'),
];
/** For staff alerts about a parcel: the order, the parcel and its latest event, and a link to the order. */
const staffShipment = [
  ...shopVars,
  ...buyerVars,
  ...orderVars,
  ...shipmentVars,
  v('shipment.status', 'string', 'The parcel status (contract value)', 'attempt_failed'),
  v(
    'shipment.detail',
    'string',
    "The carrier's latest detail (may be empty)",
    '收件人电话无人接听',
    '收件人拒收，包裹将退回寄件人，请联系收件人确认是否重新派送',
  ),
  v('order.console_url', 'url', 'Link to the order in the console', 'https://console.ob.example/orders/20261111-0042'),
];
const review = [
  v('review.rating', 'number', 'Rating 1-5', 2),
  v(
    'review.content',
    'string',
    'Review text (may be empty)',
    '包装有点破损',
    '茶叶味道还可以但是包装破损了，快递也很慢，有点失望',
  ),
];

export const catalogue: Record<MessageKind, VariableSpec[]> = {
  unpaid_reminder: [...commonVars, ...cutoff, payUrl],
  preclose_reminder: [
    ...commonVars,
    payUrl,
    v('close.local_time', 'string', 'When the unpaid order closes, shop time', '11月12日 20:30'),
  ],
  thank_you: [...commonVars, ...cutoff.slice(1), ...address, ...region],
  address_confirmation: [...commonVars, ...address],
  address_correction: [...shopVars, ...buyerVars, ...orderVars, ...correction],
  shipped: [...commonVars, ...shipmentVars],
  arrived_in_city: [...commonVars, ...shipmentVars],
  out_for_delivery: [...commonVars, ...shipmentVars],
  delivered: [...commonVars, ...shipmentVars],
  delivery_exception: [
    ...commonVars,
    ...shipmentVars,
    v(
      'exception.label',
      'string',
      'What happened, in words: 拒收 / 丢件 / 退回 / 清关 / 派送失败',
      '派送失败',
      '海关清关延误',
    ),
  ],
  shipment_stalled: [...commonVars, ...shipmentVars, v('stall.days', 'number', 'Days without movement', 3)],
  holiday_delay_notice: [
    ...commonVars,
    ...shipmentVars,
    v('holiday.name', 'string', 'The peak or holiday period', '双十一', '春节假期'),
    v('holiday.delay_days', 'number', 'Expected extra days in transit', 2),
  ],
  delivery_exception_alert: [
    ...staffShipment,
    v('alert.label', 'string', 'What happened, in words', '派送失败', '海关清关延误'),
  ],
  shipment_stalled_alert: [
    ...staffShipment,
    v('stall.hours', 'number', 'Hours since the last tracking event', 80),
    v('stall.threshold_hours', 'number', 'What is normal for this carrier and status (hours)', 48),
  ],
  review_request: [...commonVars, reviewUrl],
  review_reminder: [...commonVars, reviewUrl],
  negative_review_alert: [
    ...shopVars,
    ...buyerVars,
    ...orderVars,
    ...review,
    v(
      'order.console_url',
      'url',
      'Link to the order in the console',
      'https://console.ob.example/orders/20261111-0042',
    ),
    {
      path: 'also',
      type: 'list',
      description: 'Other negative reviews grouped into this alert (they came within minutes); empty when alone',
      sample: [],
      item: [
        v('order_id', 'string', 'Order id', '20261111-0043'),
        v('rating', 'number', 'Rating 1-5', 1),
        v('content', 'string', 'Review text (may be empty)', '发错货了'),
        v('console_url', 'url', 'Link to the order in the console', 'https://console.ob.example/orders/20261111-0043'),
      ],
    },
  ],
  negative_review_care: [...commonVars, ...review],
  positive_review_thanks: [...commonVars, ...review],
};

/** The sample data of a kind, as a nested object (`buyer.name` -> `{buyer: {name}}`). */
export function sampleData(kind: MessageKind, which: 'sample' | 'longest' = 'sample'): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const spec of catalogue[kind]) {
    const value = which === 'longest' && spec.longest !== undefined ? spec.longest : spec.sample;
    setPath(data, spec.path, value);
  }
  return data;
}

export function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}
