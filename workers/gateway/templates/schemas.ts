/**
 * zod schemas of the template API's inputs: the (kind, channel, locale) key and
 * the TemplateDocument a version stores. The OpenAPI document derives from these.
 */
import { z } from '@hono/zod-openapi';
import { channels, personas, type Channel } from '../../../shared/db/schema';
import { LIMITS } from '../../../shared/templates/engine';
import { messageKindNames } from '../../../shared/templates/kinds';
import { lintCodes, type LintWarning } from '../../../shared/templates/lint';
import type { SourcePosition } from '../../../shared/templates/lint-position';

/** The canonical BCP 47 form of `value` ("zh-cn" -> "zh-CN"), or undefined. */
export function canonicalLocale(value: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

export const kindSchema = z.enum(messageKindNames).openapi({ example: 'unpaid_reminder' });
export const channelSchema = z.enum(channels).openapi({ example: 'sms' });
export const localeSchema = z
  .string()
  .max(35)
  .refine((v) => canonicalLocale(v) !== undefined, { message: 'must be a BCP 47 language tag such as zh-CN or en' })
  .overwrite((v) => canonicalLocale(v) ?? v)
  .openapi({ example: 'zh-CN' });

export const templateKeyParams = z.object({ kind: kindSchema, channel: channelSchema, locale: localeSchema });
export const versionParams = templateKeyParams.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' }, example: 1 }),
});

// Validation of the Liquid inside happens after zod (validateParts); this only bounds the JSON.
const source = z.string().max(LIMITS.partChars * 2);

/** The Liquid parts of each channel. */
export const partsSchemas = {
  sms: z.strictObject({ body: source }).openapi('SmsParts'),
  email: z.strictObject({ subject: source, html: source, text: source }).openapi('EmailParts'),
  chat: z.strictObject({ markdown: source }).openapi('ChatParts'),
  webhook: z.strictObject({ payload: source }).openapi('WebhookParts'),
} satisfies Record<Channel, z.ZodType>;

const partsSchema = z.union([partsSchemas.sms, partsSchemas.email, partsSchemas.chat, partsSchemas.webhook]);
const weight = z.number().int().min(0).max(10_000);

const variantSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, "_" or "-"')
      .refine((k) => k !== 'base', { message: '"base" names the base text and cannot be a variant key' }),
    audience: z
      .strictObject({ buyer: z.enum(['new', 'returning']).optional(), persona: z.enum(personas).optional() })
      .refine((a) => a.buyer !== undefined || a.persona !== undefined, { message: 'name a buyer type or a persona' })
      .optional(),
    weight: weight.optional(),
    parts: partsSchema,
  })
  .openapi('TemplateVariant');

export const documentSchema = z
  .strictObject({
    parts: partsSchema,
    weight: weight.optional().openapi({ description: "The base text's A/B weight (default 100)" }),
    variants: z.array(variantSchema).max(20).optional(),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    for (const [i, variant] of (doc.variants ?? []).entries()) {
      if (seen.has(variant.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'key'],
          message: `duplicate variant key "${variant.key}"`,
        });
      }
      seen.add(variant.key);
    }
  })
  .openapi('TemplateDocument', {
    description:
      'Liquid source per channel part (sms {body}, email {subject, html, text}, chat {markdown}, webhook {payload}), with optional A/B and audience variants.',
    example: { parts: { body: '{{ buyer.name }}您好，您的订单 {{ order.id }} 还未付款：{{ pay_url }} 拒收请回复R' } },
  });

export type DocumentInput = z.infer<typeof documentSchema>;

/** Body fields naming which text to render: an unsaved document, a stored version, or neither (the effective text). */
export const sourceFields = {
  kind: kindSchema,
  channel: channelSchema,
  locale: localeSchema,
  document: documentSchema.optional(),
  version: z.number().int().min(1).optional(),
};

export const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

/** A compliance lint finding with where it belongs in the source (shared/templates/lint-position.ts). */
export const lintWarningSchema = z
  .object({
    code: z.enum(lintCodes),
    message: z.string(),
    part: z.string().openapi({ description: 'The source part it belongs to (`body`, `text`, …)' }),
    line: z.number().int().openapi({ description: "1-based line in that part of the rendered variant's source" }),
    column: z.number().int().openapi({ description: '1-based column (UTF-16 units)' }),
  })
  .openapi('LintWarning');

export const warningView = (w: LintWarning & SourcePosition): z.infer<typeof lintWarningSchema> => ({
  code: w.code,
  message: w.message,
  part: w.part,
  line: w.line,
  column: w.column,
});
