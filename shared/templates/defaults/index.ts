/**
 * orderbell's built-in default templates: the texts of zh-CN.ts and en.ts shaped into the Liquid source of each
 * channel (ChannelContent). Staff start from these and edit them in the console.
 */
import type { Channel, ChannelContent } from '../../channels/channel';
import type { DefaultLocale, MessageKind } from '../kinds';
import { texts as en } from './en';
import type { KindTexts } from './types';
import { texts as zhCN } from './zh-CN';

export type { KindTexts } from './types';

export const defaultTexts: Record<DefaultLocale, Record<MessageKind, KindTexts>> = { 'zh-CN': zhCN, en };

/** The default locale to use for a buyer or shop locale: any Chinese locale gets zh-CN, everything else en. */
export function defaultLocaleFor(locale: string): DefaultLocale {
  return /^zh(?:$|[-_])/i.test(locale.trim()) ? 'zh-CN' : 'en';
}

/** The default Liquid source of one kind on one channel in one locale. */
export function defaultContent<C extends Channel>(
  kind: MessageKind,
  channel: C,
  locale: DefaultLocale,
): ChannelContent[C] {
  const t = defaultTexts[locale][kind];
  const content: ChannelContent[Channel] = (() => {
    switch (channel) {
      case 'sms':
        return { body: t.sms };
      case 'email':
        return { subject: t.subject, text: t.body, html: bodyToHtml(t.body) };
      case 'chat':
        return { markdown: `**${t.subject}**\n\n${t.body.split('\n').join('\n\n')}` };
      case 'webhook':
        return { payload: webhookPayload(kind) };
      default:
        throw new Error(`Unknown channel: ${String(channel)}`);
    }
  })();
  return content as ChannelContent[C];
}

/** The variables each kind's default webhook payload carries, besides the kind itself. */
const webhookFields: Record<MessageKind, string[]> = {
  unpaid_reminder: [
    'order.id',
    'order.total',
    'buyer.name',
    'buyer.returning',
    'cutoff.local_time',
    'cutoff.ships_today',
    'ship_day.label',
    'pay_url',
  ],
  preclose_reminder: ['order.id', 'order.total', 'buyer.name', 'close.local_time', 'pay_url'],
  thank_you: [
    'order.id',
    'order.total',
    'buyer.name',
    'buyer.returning',
    'cutoff.ships_today',
    'ship_day.label',
    'address.summary',
    'address.confirm_url',
    'region.remote',
    'region.note',
  ],
  address_confirmation: ['order.id', 'buyer.name', 'address.summary', 'address.confirm_url'],
  // An event of its own for the shop's systems: see eventPayloads.
  address_correction: [],
  shipped: ['order.id', 'buyer.name', ...shipmentFields()],
  arrived_in_city: ['order.id', 'buyer.name', ...shipmentFields()],
  out_for_delivery: ['order.id', 'buyer.name', ...shipmentFields()],
  delivered: ['order.id', 'buyer.name', ...shipmentFields()],
  delivery_exception: ['order.id', 'buyer.name', ...shipmentFields(), 'exception.label'],
  shipment_stalled: ['order.id', 'buyer.name', ...shipmentFields(), 'stall.days'],
  holiday_delay_notice: ['order.id', 'buyer.name', ...shipmentFields(), 'holiday.name', 'holiday.delay_days'],
  delivery_exception_alert: [
    'order.id',
    'buyer.name',
    'shipment.carrier',
    'shipment.tracking_number',
    'shipment.status',
    'shipment.location',
    'shipment.detail',
    'order.console_url',
  ],
  shipment_stalled_alert: [
    'order.id',
    'buyer.name',
    'shipment.carrier',
    'shipment.tracking_number',
    'shipment.location',
    'stall.hours',
    'stall.threshold_hours',
    'order.console_url',
  ],
  review_request: ['order.id', 'buyer.name', 'review_url'],
  review_reminder: ['order.id', 'buyer.name', 'review_url'],
  negative_review_alert: [
    'shop.name',
    'order.id',
    'order.total',
    'buyer.name',
    'buyer.returning',
    'review.rating',
    'review.content',
    'order.console_url',
  ],
  negative_review_care: ['order.id', 'buyer.name', 'review.rating', 'review.content'],
  positive_review_thanks: ['order.id', 'buyer.name', 'review.rating', 'review.content'],
};

function shipmentFields() {
  return ['shipment.carrier', 'shipment.tracking_number', 'shipment.tracking_url', 'shipment.location'];
}

type JsonTree = { [key: string]: JsonTree | string };

const addressKeys = ['name', 'phone', 'country', 'province', 'city', 'district', 'line1', 'postal_code'];

/**
 * Kinds whose payload is an event in the shop's own Standard Webhooks format rather than `{kind, ...}`:
 * `{"type", "timestamp", "data"}`, like the events shops send us.
 */
const eventPayloads: Partial<Record<MessageKind, JsonTree>> = {
  address_correction: {
    type: JSON.stringify('address.correction_requested'),
    timestamp: '{{ correction.requested_at | json }}',
    data: {
      order_id: '{{ order.id | json }}',
      correction: '{{ correction.text | json }}',
      address: Object.fromEntries(addressKeys.map((key) => [key, `{{ address.${key} | json }}`])),
    },
  },
};

/**
 * A JSON template: `{"kind": "shipped", "order": {"id": {{ order.id | json }}}, ...}`, nested like the variable
 * paths and pretty-printed so staff can read and edit it. Every value goes through `| json`, so it renders to
 * valid JSON whatever the data holds.
 */
function webhookPayload(kind: MessageKind): string {
  const tree: JsonTree = eventPayloads[kind] ?? { kind: JSON.stringify(kind) };
  for (const path of webhookFields[kind]) {
    const keys = path.split('.');
    let node = tree;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as JsonTree;
    node[keys.at(-1)!] = `{{ ${path} | json }}`;
  }
  const print = (node: JsonTree, indent: string): string => {
    const inner = indent + '  ';
    const entries = Object.entries(node).map(
      ([key, value]) => `${inner}${JSON.stringify(key)}: ${typeof value === 'string' ? value : print(value, inner)}`,
    );
    return `{\n${entries.join(',\n')}\n${indent}}`;
  };
  return print(tree, '');
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The HTML version of a plain-text body: one paragraph per line, literal text HTML-escaped here, every output
 * escaped at render time with `| escape`, and link variables (`*_url`) made clickable.
 */
function bodyToHtml(body: string): string {
  return body
    .split('\n')
    .map((line) => `<p>${lineToHtml(line)}</p>`)
    .join('\n');
}

function lineToHtml(line: string): string {
  return line
    .split(/(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/)
    .map((part, i) => {
      if (i % 2 === 0) return escapeHtml(part);
      if (part.startsWith('{%')) return part;
      const expr = part.slice(2, -2).trim();
      if (/^[\w.]*url$/.test(expr)) return `<a href="{{ ${expr} | escape }}">{{ ${expr} | escape }}</a>`;
      return `{{ ${expr} | escape }}`;
    })
    .join('');
}
