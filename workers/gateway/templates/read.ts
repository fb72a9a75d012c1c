/**
 * Read routes: the message kinds with their variable catalogues, the shop's
 * templates, and the text in effect for one (kind, channel, locale).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq, max } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { templates, templateVersions } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { catalogue } from '../../../shared/templates/catalogue';
import { messageKindNames, messageKinds, type MessageKind } from '../../../shared/templates/kinds';
import { resolveTemplate } from '../../../shared/templates/store';
import { authErrors, security } from './auth';
import { findTemplate, listVersions } from './queries';
import { templateKeyParams } from './schemas';
import { effectiveTemplateSchema, kindsSchema, templateListSchema, versionSummary } from './views';

export const readRoutes = createRouter();

readRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/templates/kinds',
    summary: 'List message kinds with their variable catalogues',
    description:
      "Each kind is transactional (notices, no consent or budget), service (about the buyer's own order: consent implied, opt-out, quiet hours and budget apply, no marketing) or promotional (explicit consent, an opt-out, never at night). See docs/MESSAGE-CLASSES.md.",
    security,
    responses: { 200: jsonBody(kindsSchema), ...authErrors },
  }),
  (c) =>
    c.json(
      {
        data: messageKindNames.map((kind) => ({
          kind,
          class: messageKinds[kind].class,
          audience: messageKinds[kind].audience,
          flow: messageKinds[kind].flow,
          variables: catalogue[kind],
        })),
      },
      200,
    ),
);

readRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/templates',
    summary: "List the shop's own templates",
    description: 'Kinds, channels and locales without a row here use the built-in defaults.',
    security,
    responses: { 200: jsonBody(templateListSchema), ...authErrors },
  }),
  async (c) => {
    const d = db(c.env.DB);
    const shopId = c.get('shopId');
    const [rows, latest] = await Promise.all([
      d
        .select({ template: templates, published: templateVersions.version })
        .from(templates)
        .leftJoin(templateVersions, eq(templateVersions.id, templates.publishedVersionId))
        .where(eq(templates.shopId, shopId))
        .orderBy(templates.kind, templates.channel, templates.locale),
      d
        .select({ templateId: templateVersions.templateId, version: max(templateVersions.version) })
        .from(templateVersions)
        .where(eq(templateVersions.shopId, shopId))
        .groupBy(templateVersions.templateId),
    ]);
    const latestOf = new Map(latest.map((r) => [r.templateId, r.version]));
    const data = rows.map(({ template: t, published }) => ({
      kind: t.kind as MessageKind,
      channel: t.channel,
      locale: t.locale,
      published_version: published,
      latest_version: latestOf.get(t.id) ?? null,
      updated_at: t.updatedAt.toISOString(),
    }));
    return c.json({ data }, 200);
  },
);

readRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/templates/{kind}/{channel}/{locale}',
    summary: 'Read the text in effect and the version history',
    description:
      'The shop\'s published version, else a published template of the same language, else orderbell\'s built-in default (`source: "default"`).',
    security,
    request: { params: templateKeyParams },
    responses: {
      200: jsonBody(effectiveTemplateSchema),
      400: errorResponse('Unknown kind, channel or locale'),
      ...authErrors,
    },
  }),
  async (c) => {
    const key = c.req.valid('param');
    const d = db(c.env.DB);
    const shopId = c.get('shopId');
    const [resolved, template] = await Promise.all([
      resolveTemplate(d, shopId, key.kind, key.channel, key.locale),
      findTemplate(d, shopId, key),
    ]);
    const versions = template ? await listVersions(d, shopId, template.id) : [];
    const published = versions.find((v) => v.id === template?.publishedVersionId);
    return c.json(
      {
        ...key,
        source: resolved.versionId ? ('published' as const) : ('default' as const),
        effective_locale: resolved.locale,
        published_version: published?.version ?? null,
        document: resolved.doc as z.infer<typeof effectiveTemplateSchema>['document'],
        versions: versions.map(versionSummary),
      },
      200,
    );
  },
);
