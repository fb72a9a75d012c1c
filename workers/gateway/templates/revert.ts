/**
 * `POST /v1/templates/{kind}/{channel}/{locale}/revert`: back to the built-in default. One D1 batch
 * archives the published version, unpoints the template and writes the audit entry; the versions
 * stay, so any of them can be published again. The next message renders the default.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { templates, templateVersions } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { requireTemplate } from './queries';
import { templateKeyParams } from './schemas';

export const revertRoutes = createRouter();

const revertedSchema = z
  .object({
    kind: z.string(),
    channel: z.string(),
    locale: z.string(),
    custom: z.literal(false),
    archived_version: z.number().int(),
  })
  .openapi('TemplateReverted');

revertRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/{kind}/{channel}/{locale}/revert',
    summary: 'Revert to the built-in default',
    description:
      'Archives the published version so messages render the built-in default again. The versions are kept and can be published again. Audited as `template.revert`.',
    security,
    request: { params: templateKeyParams },
    responses: {
      200: jsonBody(revertedSchema, 'Reverted; the built-in default is in use'),
      404: errorResponse('No such template in this shop'),
      409: errorResponse('Nothing is published: the built-in default is already in use'),
      ...authErrors,
    },
  }),
  async (c) => {
    const key = c.req.valid('param');
    const d = db(c.env.DB);
    const template = await requireTemplate(d, c.get('shopId'), key);
    const publishedId = template.publishedVersionId;
    if (!publishedId) throw new ApiError('conflict', 'Nothing is published: the built-in default is already in use');
    const now = new Date();
    const [archived] = await d.batch([
      d
        .update(templateVersions)
        .set({ status: 'archived' })
        .where(and(eq(templateVersions.id, publishedId), eq(templateVersions.status, 'published')))
        .returning({ version: templateVersions.version }),
      // Conditional on what was read: a publish racing this revert wins, and the revert changes nothing.
      d
        .update(templates)
        .set({ publishedVersionId: null, updatedAt: now })
        .where(and(eq(templates.id, template.id), eq(templates.publishedVersionId, publishedId))),
      auditInsert(
        d,
        {
          shopId: template.shopId,
          actorKeyId: c.get('apiKeyId'),
          action: 'template.revert',
          entity: 'templates',
          entityId: template.id,
          changes: { kind: template.kind, channel: template.channel, locale: template.locale },
        },
        now,
      ),
    ]);
    const version = archived[0]?.version;
    if (version === undefined) throw new ApiError('conflict', 'The published version changed meanwhile; try again');
    return c.json(
      {
        kind: template.kind,
        channel: template.channel,
        locale: template.locale,
        custom: false as const,
        archived_version: version,
      },
      200,
    );
  },
);
