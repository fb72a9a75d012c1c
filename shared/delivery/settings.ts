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
    /** Transactional notices in quiet hours: `send` now, or `defer` like promotional ones. */
    transactional_quiet_hours: z.enum(['send', 'defer']).default('send'),
    /** `required`: promotional messages need the buyer's marketing consent (China SMS practice). */
    promotional_consent: z.enum(['required', 'implied']).default('required'),
    max_attempts: z.number().int().min(1).max(20).default(6),
  })
  .openapi('DeliverySettings');

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;

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
