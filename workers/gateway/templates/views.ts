/** Response schemas of the template API and the functions that shape stored rows into them. */
import { z } from '@hono/zod-openapi';
import { templateVersionStatuses, type Template, type TemplateVersion } from '../../../shared/db/schema';
import { channelSchema, documentSchema, kindSchema } from './schemas';
import { messageClasses } from '../../../shared/templates/kinds';

export const versionSummarySchema = z
  .object({
    version: z.number().int(),
    status: z.enum(templateVersionStatuses),
    created_at: z.string(),
    published_at: z.string().nullable(),
    created_by: z.string().nullable().openapi({ description: 'Id of the API key that created the version' }),
  })
  .openapi('TemplateVersionSummary');

export const versionSchema = versionSummarySchema
  .extend({ kind: kindSchema, channel: channelSchema, locale: z.string(), document: documentSchema })
  .openapi('TemplateVersion');

export const templateListSchema = z
  .object({
    data: z.array(
      z.object({
        kind: kindSchema,
        channel: channelSchema,
        locale: z.string(),
        published_version: z.number().int().nullable(),
        latest_version: z.number().int().nullable(),
        updated_at: z.string(),
      }),
    ),
  })
  .openapi('TemplateList');

export const effectiveTemplateSchema = z
  .object({
    kind: kindSchema,
    channel: channelSchema,
    locale: z.string(),
    source: z.enum(['published', 'default']).openapi({
      description: "`published`: the shop's live version; `default`: orderbell's built-in text",
    }),
    effective_locale: z.string().openapi({ description: 'Locale of the text in effect (a same-language fallback)' }),
    published_version: z.number().int().nullable(),
    document: documentSchema,
    versions: z.array(versionSummarySchema),
  })
  .openapi('EffectiveTemplate');

const variableSchema = z.object({
  path: z.string(),
  type: z.string(),
  description: z.string(),
  sample: z.unknown(),
  longest: z.unknown().optional(),
  item: z
    .array(z.object({ path: z.string(), type: z.string(), description: z.string(), sample: z.unknown() }))
    .optional(),
});

export const kindsSchema = z
  .object({
    data: z.array(
      z.object({
        kind: kindSchema,
        class: z.enum(messageClasses),
        audience: z.enum(['buyer', 'staff']),
        flow: z.string().openapi({ description: 'The flow that sends this kind', example: 'unpaid-reminders' }),
        variables: z.array(variableSchema),
      }),
    ),
  })
  .openapi('MessageKinds');

export function versionSummary(v: TemplateVersion): z.infer<typeof versionSummarySchema> {
  return {
    version: v.version,
    status: v.status,
    created_at: v.createdAt.toISOString(),
    published_at: v.publishedAt?.toISOString() ?? null,
    created_by: v.createdByKeyId,
  };
}

export function versionView(t: Template, v: TemplateVersion): z.infer<typeof versionSchema> {
  return {
    ...versionSummary(v),
    kind: t.kind as z.infer<typeof kindSchema>,
    channel: t.channel,
    locale: t.locale,
    document: v.content as z.infer<typeof documentSchema>,
  };
}
