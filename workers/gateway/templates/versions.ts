/**
 * Draft versions: create one from a TemplateDocument (validated against the
 * kind's catalogue) and read one back. Version numbers count up per template.
 */
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import { templates, templateVersions } from '../../../shared/db/schema';
import { newId } from '../../../shared/crypto/random';
import { createRouter } from '../../../shared/http/app';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { ensureTemplate, isUniqueViolation, latestVersion, requireTemplate, requireVersion } from './queries';
import { documentSchema, json, templateKeyParams, versionParams } from './schemas';
import { assertValidTemplate, checkChannelParts } from './validation';
import { versionSchema, versionView } from './views';

export const versionRoutes = createRouter();

/**
 * Concurrent drafts may pick the same number; the unique index rejects all but one, and the
 * rest retry after a short random pause so they do not collide again in lockstep.
 */
const NUMBERING_ATTEMPTS = 8;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));

versionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/{kind}/{channel}/{locale}/versions',
    summary: 'Create a draft version',
    description:
      "Parts must be the channel's. Every part of the base and each variant is checked against the kind's variable catalogue; unknown variables, filters or tags answer 422 `template_invalid` with `details[].path`, `line` and `column`. The template is created on first use.",
    security,
    request: { params: templateKeyParams, body: json(documentSchema) },
    responses: {
      201: jsonBody(versionSchema, 'Created'),
      400: errorResponse("Invalid body, or parts that are not the channel's"),
      409: errorResponse('Concurrent drafts kept taking the same version number; retry'),
      422: errorResponse('The Liquid does not validate (template_invalid)'),
      ...authErrors,
    },
  }),
  async (c) => {
    const key = c.req.valid('param');
    const doc = checkChannelParts(key.channel, c.req.valid('json'));
    assertValidTemplate(key.kind, doc, true);
    const shopId = c.get('shopId');
    const d = db(c.env.DB);
    const now = new Date();
    const template = await ensureTemplate(d, shopId, key, now);
    for (let attempt = 1; attempt <= NUMBERING_ATTEMPTS; attempt++) {
      const id = newId('tv');
      const version = (await latestVersion(d, template.id)) + 1;
      try {
        const [[row]] = await d.batch([
          d
            .insert(templateVersions)
            .values({
              id,
              shopId,
              templateId: template.id,
              version,
              status: 'draft',
              content: doc,
              createdByKeyId: c.get('apiKeyId'),
              createdAt: now,
            })
            .returning(),
          d.update(templates).set({ updatedAt: now }).where(eq(templates.id, template.id)),
          auditInsert(
            d,
            {
              shopId,
              actorKeyId: c.get('apiKeyId'),
              action: 'template.draft',
              entity: 'template_versions',
              entityId: id,
              changes: { ...key, version, variants: (doc.variants ?? []).map((v) => v.key) },
            },
            now,
          ),
        ]);
        return c.json(versionView(template, row!), 201);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await pause();
      }
    }
    throw new ApiError('conflict', 'Other drafts of this template were being saved at the same moment; send it again');
  },
);

versionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/templates/{kind}/{channel}/{locale}/versions/{version}',
    summary: 'Read one version',
    security,
    request: { params: versionParams },
    responses: {
      200: jsonBody(versionSchema),
      404: errorResponse('No such template or version in this shop'),
      ...authErrors,
    },
  }),
  async (c) => {
    const { version, ...key } = c.req.valid('param');
    const d = db(c.env.DB);
    const template = await requireTemplate(d, c.get('shopId'), key);
    return c.json(versionView(template, await requireVersion(d, template, version)), 200);
  },
);
