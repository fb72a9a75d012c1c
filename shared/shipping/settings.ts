/**
 * A shop's shipment follow-up settings: which buyer notices are on, the
 * delivered-care delay, and how stalled parcels are detected. Stored as JSON
 * on the shop (`PATCH /v1/shop` `shipment_followups`); absent fields take defaults.
 */
import { z } from '@hono/zod-openapi';
import { defaultPeaks, peakSchema, type Peak } from './peaks';

const notice = (description: string) => z.boolean().default(true).openapi({ description });

export const shipmentSettingsSchema = z
  .strictObject({
    notices: z
      .strictObject({
        shipped: notice('Carrier, tracking number and link when the parcel leaves'),
        arrived_in_city: notice("The parcel reached the buyer's city"),
        out_for_delivery: notice('Out for delivery: keep your phone on, inspect on receipt'),
        delivered: notice('A care message after delivery'),
        delivery_exception: notice('An apology to the buyer when delivery goes wrong'),
      })
      .default({
        shipped: true,
        arrived_in_city: true,
        out_for_delivery: true,
        delivered: true,
        delivery_exception: true,
      }),
    /** Minutes after delivery before the care message (it is also held outside quiet hours). */
    delivered_care_delay_minutes: z.number().int().min(0).max(10_080).default(120),
    stall: z
      .strictObject({
        /** The percentile of the shop's own gaps between tracking events that counts as normal. */
        percentile: z.number().int().min(50).max(99).default(90),
        /** Fewer samples than this for a carrier and status: the default threshold applies. */
        min_samples: z.number().int().min(1).max(10_000).default(20),
        /** The threshold when there is too little history. */
        default_hours: z.number().int().min(1).max(720).default(72),
        /**
         * The least a learned threshold may be: history of parcels that moved within minutes (a
         * backfill of tracking events, a same-city courier) must not call a parcel stalled after minutes.
         */
        min_hours: z.number().int().min(1).max(720).default(12),
        /** Send the buyer one `shipment_stalled` note besides the staff alert. */
        notify_buyer: z.boolean().default(false),
      })
      .default({ percentile: 90, min_samples: 20, default_hours: 72, min_hours: 12, notify_buyer: false }),
    /** The shop's peak calendar; null uses the built-in one (Double 11/12, Spring Festival 2026 and 2027). */
    peaks: z.array(peakSchema).max(50).nullable().default(null),
    /** Days before a peak begins that buyers with parcels on the way (or paid, unshipped orders) are warned. */
    peak_lead_days: z.number().int().min(0).max(14).default(3),
    /** Stall thresholds are multiplied by this while a peak lasts. */
    peak_stall_factor: z.number().min(1).max(5).default(1.5),
  })
  .openapi('ShipmentFollowupSettings');

export type ShipmentSettings = z.infer<typeof shipmentSettingsSchema>;

export function shipmentSettings(stored: unknown): ShipmentSettings {
  return shipmentSettingsSchema.parse(stored ?? {});
}

/** The shop's peak calendar, or the built-in one. */
export const peaksOf = (settings: ShipmentSettings): Peak[] => settings.peaks ?? defaultPeaks;
