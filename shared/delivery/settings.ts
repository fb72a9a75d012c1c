/**
 * A shop's delivery settings: channel order per kind, provider order per
 * channel, the frequency budget, and the consent and quiet-hours policy.
 * Stored as JSON on the shop; absent fields take these defaults.
 */
import { z } from '@hono/zod-openapi';
import { channels, type Channel } from '../db/schema';
import { providers, type Provider } from '../channels/types';
import { messageKindNames, type MessageKind } from '../templates/kinds';

const route = z.array(z.enum(channels)).min(1).max(4);
const providerList = z.array(z.enum(providers)).min(1).max(4);

export const deliverySettingsSchema = z
  .strictObject({
    /** Channel order per kind; kinds not listed use `default_route` (or `staff_route` for staff kinds). */
    routes: z.partialRecord(z.enum(messageKindNames), route).default({}),
    default_route: route.default(['sms', 'email']),
    staff_route: route.default(['chat']),
    /** Provider order per channel; the next provider is tried when one is down. */
    providers: z
      .strictObject({ sms: providerList, email: providerList, chat: providerList, webhook: providerList })
      .partial()
      .default({}),
    /** At most `max` capped (non-transactional) messages per buyer in `window_hours`, across channels. */
    frequency_cap: z
      .strictObject({ max: z.number().int().min(0).max(50), window_hours: z.number().int().min(1).max(168) })
      .default({ max: 3, window_hours: 24 }),
    /** Transactional notices in quiet hours: `send` now, or `defer` like service and promotional ones. */
    transactional_quiet_hours: z.enum(['send', 'defer']).default('send'),
    /**
     * Service messages (reminders, review requests, care about the buyer's own order): consent is `implied`
     * by the order, or `required` (the buyer's `marketing_consent`). docs/MESSAGE-CLASSES.md.
     */
    service_consent: z.enum(['implied', 'required']).default('implied'),
    /** `required`: promotional (marketing) messages need the buyer's explicit consent (China SMS practice). */
    promotional_consent: z.enum(['required', 'implied']).default('required'),
    max_attempts: z.number().int().min(1).max(20).default(6),
    /** What one SMS part (segment) costs the shop; previews show the cost of each message from it. */
    sms_price: z
      .strictObject({
        per_part: z
          .string()
          .regex(/^\d{1,4}(?:\.\d{1,4})?$/, 'a decimal such as 0.045 (at most 4 decimals)')
          .openapi({ example: '0.045' }),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY')
          .openapi({ example: 'CNY' }),
      })
      .nullable()
      .default(null)
      .openapi({ description: 'Price per SMS part, e.g. {"per_part":"0.045","currency":"CNY"}; null if unknown' }),
  })
  .openapi('DeliverySettings');

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;

/** The cost of `parts` SMS parts at `price`, as a decimal string (exact: computed in 1/10000 units). */
export function smsCost(price: NonNullable<DeliverySettings['sms_price']>, parts: number): string {
  const [whole, fraction = ''] = price.per_part.split('.');
  const tenThousandths = (Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'))) * parts;
  const text = `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, '0')}`;
  return text.replace(/0{1,2}$/, '');
}

export function deliverySettings(stored: unknown): DeliverySettings {
  return deliverySettingsSchema.parse(stored ?? {});
}

/**
 * Kinds with their own defaults, used when the shop set none: an address correction goes to the shop's
 * own signed webhook and never to the local outbox, so a shop without an endpoint sees it fail `no_provider`.
 */
const kindDefaults: Partial<
  Record<MessageKind, { route: Channel[]; providers: Partial<Record<Channel, Provider[]>> }>
> = { address_correction: { route: ['webhook'], providers: { webhook: ['webhook'] } } };

export function routeFor(settings: DeliverySettings, kind: MessageKind, staff: boolean): Channel[] {
  return settings.routes[kind] ?? kindDefaults[kind]?.route ?? (staff ? settings.staff_route : settings.default_route);
}

export function providersFor(settings: DeliverySettings, channel: Channel, kind?: MessageKind): Provider[] {
  return settings.providers[channel] ?? (kind && kindDefaults[kind]?.providers[channel]) ?? ['local'];
}
