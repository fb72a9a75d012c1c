/**
 * Publishing and rollback. Either way one D1 batch archives the live version,
 * publishes the chosen one, points the template at it and writes the audit entry.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, ne } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db, type Db } from '../../../shared/db/client';
import { templates, templateVersions, type Template, type TemplateVersion } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { requireTemplate, requireVersion } from './queries';
import { json, templateKeyParams, versionParams } from './schemas';
import { versionSchema, versionView } from './views';

export const publishRoutes = createRouter();

async function publish(
  d: Db,
  template: Template,
  target: TemplateVersion,
  audit: { actorKeyId: string; action: string; changes: Record<string, unknown> },
) {
  const now = new Date();
  const [, [row]] = await d.batch([
    d
      .update(templateVersions)
      .set({ status: 'archived' })
      .where(
        and(
          eq(templateVersions.templateId, template.id),
          eq(templateVersions.status, 'published'),
          ne(templateVersions.id, target.id),
        ),
      ),
    d
      .update(templateVersions)
      .set({ status: 'published', publishedAt: now })
      .where(eq(templateVersions.id, target.id))
      .returning(),
    d.update(templates).set({ publishedVersionId: target.id, updatedAt: now }).where(eq(templates.id, template.id)),
    auditInsert(d, { shopId: template.shopId, entity: 'template_versions', entityId: target.id, ...audit }, now),
  ]);
  return row!;
}

const coordinates = (t: Template) => ({ kind: t.kind, channel: t.channel, locale: t.locale });
const currentVersion = (d: Db, t: Template) =>
  t.publishedVersionId
    ? d.query.templateVersions.findFirst({
        where: and(eq(templateVersions.shopId, t.shopId), eq(templateVersions.id, t.publishedVersionId)),
      })
    : undefined;

const responses = {
  200: jsonBody(versionSchema),
  404: errorResponse('No such template or version in this shop'),
  409: errorResponse('The version is already the published one'),
  ...authErrors,
};

publishRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/{kind}/{channel}/{locale}/versions/{version}/publish',
    summary: 'Publish a version',
    description: 'The version goes live; the previously published one is archived.',
    security,
    request: { params: versionParams },
    responses,
  }),
  async (c) => {
    const { version, ...key } = c.req.valid('param');
    const d = db(c.env.DB);
    const template = await requireTemplate(d, c.get('shopId'), key);
    const target = await requireVersion(d, template, version);
    if (target.id === template.publishedVersionId)
      throw new ApiError('conflict', `Version ${version} is already published`);
    const previous = await currentVersion(d, template);
    const row = await publish(d, template, target, {
      actorKeyId: c.get('apiKeyId'),
      action: 'template.publish',
      changes: { ...coordinates(template), version, previous_version: previous?.version ?? null },
    });
    return c.json(versionView(template, row), 200);
  },
);

publishRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/{kind}/{channel}/{locale}/rollback',
    summary: 'Roll back to an earlier version',
    description:
      'Publishes an earlier version again and archives the current one. Audited as `template.rollback` with `from` and `to`.',
    security,
    request: { params: templateKeyParams, body: json(z.strictObject({ version: z.number().int().min(1) })) },
    responses: { ...responses, 409: errorResponse('Nothing is published, or the version is the published one') },
  }),
  async (c) => {
    const key = c.req.valid('param');
    const { version } = c.req.valid('json');
    const d = db(c.env.DB);
    const template = await requireTemplate(d, c.get('shopId'), key);
    const target = await requireVersion(d, template, version);
    const current = await currentVersion(d, template);
    if (!current) throw new ApiError('conflict', 'Nothing is published yet; publish a version instead');
    if (current.id === target.id) throw new ApiError('conflict', `Version ${version} is already the published one`);
    const row = await publish(d, template, target, {
      actorKeyId: c.get('apiKeyId'),
      action: 'template.rollback',
      changes: { ...coordinates(template), from: current.version, to: version },
    });
    return c.json(versionView(template, row), 200);
  },
);
