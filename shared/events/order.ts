/** zod schema of the Order object in the webhook contract (DESIGN.md, "Webhook intake"). */
import { z } from '@hono/zod-openapi';
import { wellFormedMessage } from './well-formed';
import { isTimeZone } from '../time/buyer-clock';
import { rememberAccepted } from './remembered';

export const isoTime = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-11T09:30:00+08:00' });
export const decimalString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,4})?$/, 'must be a decimal string such as "258.00"')
  .openapi({ example: '258.00' });

/** An id or key from outside: bounded, and well-formed Unicode so it survives storage unchanged. */
export const idString = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.isWellFormed(), wellFormedMessage);

/** One canonical BCP 47 tag (remembered once accepted: `getCanonicalLocales` is costly per event). */
export const isLocaleTag = rememberAccepted((value) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
});

const locale = z.string().refine(isLocaleTag, { message: 'must be a BCP 47 language tag such as zh-CN' });

export const buyerSchema = z.object({
  id: idString(128),
  name: z.string().max(200).optional(),
  phone: z.e164('must be an E.164 phone number such as +8613800138000').optional(),
  email: z.email().max(320).optional(),
  locale: locale.optional(),
  tags: z.array(z.string().min(1).max(64)).max(50).optional(),
  /**
   * Extension: explicit consent to promotional messages (and to service messages when the shop's
   * `service_consent` is `required`). Reminders and review requests need none by default.
   */
  marketing_consent: z.boolean().optional(),
  /** Optional: the buyer's IANA time zone; quiet hours and daytime sends follow it (docs/MESSAGE-CLASSES.md). */
  timezone: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: 'must be an IANA time zone such as America/New_York' })
    .optional()
    .openapi({ example: 'America/New_York' }),
});

export const itemSchema = z.object({
  sku: z.string().max(128).optional(),
  title: z.string().min(1).max(500),
  quantity: z.number().int().positive(),
  unit_price: decimalString,
});

export const addressSchema = z.object({
  name: z.string().min(1).max(200),
  phone: z.e164().optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CN'),
  province: z.string().max(200).optional(),
  city: z.string().max(200).optional(),
  district: z.string().max(200).optional(),
  line1: z.string().min(1).max(500),
  postal_code: z.string().max(32).optional(),
});

export const orderId = idString(128);

export const orderFields = z.object({
  order_id: orderId,
  created_at: isoTime,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY'),
  total: decimalString,
  items: z.array(itemSchema).min(1).max(500),
  buyer: buyerSchema,
  shipping_address: addressSchema.optional(),
  auto_close_at: isoTime.optional(),
  /** Extension: the buyer's one-tap payment link, used by unpaid reminders. */
  pay_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});

export const orderSchema = orderFields.openapi('Order');

export type OrderPayload = z.infer<typeof orderSchema>;
