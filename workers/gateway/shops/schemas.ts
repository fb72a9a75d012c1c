/** zod schemas of the shop settings API; the OpenAPI document derives from these. */
import { z } from '@hono/zod-openapi';
import { reminderSettings, reminderSettingsSchema } from '../../../shared/orders/reminder-settings';
import type { Shop } from '../../../shared/db/schema';
import { remoteRegions, remoteRegionsSchema } from '../../../shared/orders/remote-regions';
import { reviewSettings, reviewSettingsSchema } from '../../../shared/reviews/settings';
import { shipmentSettings, shipmentSettingsSchema } from '../../../shared/shipping/settings';
import { localTimeSchema, nonShippingDaySchema, timeZoneSchema } from '../../../shared/time/validate';

const quietHours = z
  .strictObject({ start: localTimeSchema, end: localTimeSchema })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] })
  .openapi({ example: { start: '21:00', end: '08:00' } });

export const settingsFields = {
  name: z.string().trim().min(1).max(200),
  timezone: timeZoneSchema,
  shipping_cutoff: localTimeSchema,
  non_shipping_days: z
    .array(nonShippingDaySchema)
    .max(400)
    .openapi({ example: ['sun', '2026-10-01'] }),
  reminder_lead_minutes: z.number().int().min(0).max(720),
  reminder_min_order_age_minutes: z.number().int().min(0).max(1440),
  quiet_hours: quietHours,
  sms_signature: z
    .string()
    .trim()
    .regex(/^(?:【[^【】]{2,12}】|[^【】]{2,12})$/, 'must be 2-12 characters, e.g. 茶小铺 or 【茶小铺】')
    .overwrite((v) => `【${v.replace(/^【|】$/g, '')}】`)
    .nullable()
    .openapi({
      example: '【茶小铺】',
      description: 'SMS signature required by Chinese carriers; counted in every SMS',
    }),
  sms_signature_position: z.enum(['start', 'end']),
  reminders: reminderSettingsSchema.openapi({
    description:
      'Unpaid-reminder rules: pre-close reminder, amount and SKU filters, recently-paid rule, pay link, recovery window',
  }),
  shipment_followups: shipmentSettingsSchema.openapi({
    description:
      'Shipment follow-ups: which buyer notices are on, the delivered-care delay, and stall detection (percentile of the shop’s own tracking gaps, minimum samples, default threshold, buyer note)',
  }),
  review_requests: reviewSettingsSchema.openapi({
    description:
      'Review requests and review care: `delay_days` after delivery or completion (0 = at once), one reminder after `reminder_gap_days`, skipped as `expired` after `window_days`, the negative `negative_threshold`, buyer care and thanks, and the review link',
  }),
  remote_regions: remoteRegionsSchema.nullable().openapi({
    description:
      'Provinces/cities with longer transit: the thank-you adds the note of the first entry matching the shipping address. `null` restores the defaults (Xinjiang, Tibet, Qinghai, Inner Mongolia).',
  }),
};

export const createShopSchema = z
  .strictObject({ name: settingsFields.name, timezone: settingsFields.timezone.optional() })
  .openapi('CreateShop');

export const patchShopSchema = z
  .strictObject(settingsFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one setting' })
  .openapi('ShopSettingsPatch');

export const shopSchema = z
  .object({
    shop_id: z.string(),
    ...settingsFields,
    previous_webhook_secret_expires_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Shop');

export const createdShopSchema = z
  .object({ shop_id: z.string(), api_key: z.string(), webhook_secret: z.string() })
  .openapi('CreatedShop');

/** A settings patch in column form (undefined keys are left alone by drizzle's update). */
export function shopColumns(patch: Partial<z.infer<z.ZodObject<typeof settingsFields>>>) {
  return {
    name: patch.name,
    timezone: patch.timezone,
    shippingCutoff: patch.shipping_cutoff,
    nonShippingDays: patch.non_shipping_days,
    reminderLeadMinutes: patch.reminder_lead_minutes,
    reminderMinOrderAgeMinutes: patch.reminder_min_order_age_minutes,
    quietHours: patch.quiet_hours,
    smsSignature: patch.sms_signature,
    smsSignaturePosition: patch.sms_signature_position,
    remoteRegions: patch.remote_regions,
    reminders: patch.reminders,
    shipmentFollowups: patch.shipment_followups,
    reviewRequests: patch.review_requests,
  };
}

export function shopView(shop: Shop): z.infer<typeof shopSchema> {
  return {
    shop_id: shop.id,
    name: shop.name,
    timezone: shop.timezone,
    shipping_cutoff: shop.shippingCutoff,
    non_shipping_days: shop.nonShippingDays,
    reminder_lead_minutes: shop.reminderLeadMinutes,
    reminder_min_order_age_minutes: shop.reminderMinOrderAgeMinutes,
    quiet_hours: shop.quietHours,
    sms_signature: shop.smsSignature,
    sms_signature_position: shop.smsSignaturePosition,
    reminders: reminderSettings(shop.reminders),
    remote_regions: remoteRegions(shop.remoteRegions),
    shipment_followups: shipmentSettings(shop.shipmentFollowups),
    review_requests: reviewSettings(shop.reviewRequests),
    previous_webhook_secret_expires_at: shop.previousWebhookSecretExpiresAt?.toISOString() ?? null,
    created_at: shop.createdAt.toISOString(),
    updated_at: shop.updatedAt.toISOString(),
  };
}
