/**
 * Every message kind orderbell sends, with its policy class. Transactional kinds
 * carry no marketing and are exempt from the frequency budget; promotional ones
 * need consent and an opt-out (China SMS practice, PRODUCT.md).
 */
import type { Flow } from '../flows/names';

export const messageKinds = {
  unpaid_reminder: { class: 'promotional', audience: 'buyer', flow: 'unpaid-reminders' },
  preclose_reminder: { class: 'promotional', audience: 'buyer', flow: 'unpaid-reminders' },
  thank_you: { class: 'transactional', audience: 'buyer', flow: 'thank-you' },
  address_confirmation: { class: 'transactional', audience: 'buyer', flow: 'thank-you' },
  /** The buyer's address correction, forwarded to the shop (by default to its signed webhook). */
  address_correction: { class: 'transactional', audience: 'staff', flow: 'thank-you' },
  shipped: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  arrived_in_city: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  out_for_delivery: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  delivered: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  delivery_exception: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  shipment_stalled: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  holiday_delay_notice: { class: 'transactional', audience: 'buyer', flow: 'shipment-followups' },
  review_request: { class: 'promotional', audience: 'buyer', flow: 'review-requests' },
  review_reminder: { class: 'promotional', audience: 'buyer', flow: 'review-requests' },
  negative_review_alert: { class: 'transactional', audience: 'staff', flow: 'review-requests' },
  negative_review_care: { class: 'promotional', audience: 'buyer', flow: 'review-requests' },
  positive_review_thanks: { class: 'promotional', audience: 'buyer', flow: 'review-requests' },
} as const satisfies Record<
  string,
  { class: 'transactional' | 'promotional'; audience: 'buyer' | 'staff'; flow: Flow }
>;

export type MessageKind = keyof typeof messageKinds;
export const messageKindNames = Object.keys(messageKinds) as [MessageKind, ...MessageKind[]];

export const isTransactional = (kind: MessageKind) => messageKinds[kind].class === 'transactional';

/** Locales every kind has built-in default text for. */
export const defaultLocales = ['zh-CN', 'en'] as const;
export type DefaultLocale = (typeof defaultLocales)[number];
