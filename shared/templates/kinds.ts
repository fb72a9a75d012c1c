/**
 * Every message kind orderbell sends, with its policy class (docs/MESSAGE-CLASSES.md):
 * - `transactional`: notices the buyer needs (shipped, delivered, an apology for a parcel problem). No
 *   consent or budget; no marketing.
 * - `service`: about the buyer's own order (payment reminders, review requests, care). Consent is implied by
 *   the order unless the shop's `service_consent` is `required`; opt-out, blacklist, quiet hours and the
 *   frequency budget apply; no marketing (refused at save time).
 * - `promotional`: real marketing. Explicit consent, an opt-out, never at night.
 */
import type { Flow } from '../flows/names';

export const messageClasses = ['transactional', 'service', 'promotional'] as const;
export type MessageClass = (typeof messageClasses)[number];

export const messageKinds = {
  unpaid_reminder: { class: 'service', audience: 'buyer', flow: 'unpaid-reminders' },
  preclose_reminder: { class: 'service', audience: 'buyer', flow: 'unpaid-reminders' },
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
  /** Staff: a parcel hit an exception (refused, failed attempt, returned, lost, customs). */
  delivery_exception_alert: { class: 'transactional', audience: 'staff', flow: 'shipment-followups' },
  /** Staff: a parcel has not moved for longer than is normal for its carrier and status. */
  shipment_stalled_alert: { class: 'transactional', audience: 'staff', flow: 'shipment-followups' },
  review_request: { class: 'service', audience: 'buyer', flow: 'review-requests' },
  review_reminder: { class: 'service', audience: 'buyer', flow: 'review-requests' },
  negative_review_alert: { class: 'transactional', audience: 'staff', flow: 'review-requests' },
  negative_review_care: { class: 'service', audience: 'buyer', flow: 'review-requests' },
  positive_review_thanks: { class: 'service', audience: 'buyer', flow: 'review-requests' },
} as const satisfies Record<string, { class: MessageClass; audience: 'buyer' | 'staff'; flow: Flow }>;

export type MessageKind = keyof typeof messageKinds;
export const messageKindNames = Object.keys(messageKinds) as [MessageKind, ...MessageKind[]];

export const classOf = (kind: MessageKind): MessageClass => messageKinds[kind].class;
export const isTransactional = (kind: MessageKind) => classOf(kind) === 'transactional';

/** Locales every kind has built-in default text for. */
export const defaultLocales = ['zh-CN', 'en'] as const;
export type DefaultLocale = (typeof defaultLocales)[number];
