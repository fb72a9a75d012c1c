/**
 * Which text a preview or test send renders: an unsaved document from the
 * request, a stored version, or (neither given) the text in effect.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { templateVersions, type Channel, type TemplateDocument } from '../../../shared/db/schema';
import { sha256Hex } from '../../../shared/crypto/digest';
import { ApiError } from '../../../shared/http/errors';
import type { MessageKind } from '../../../shared/templates/kinds';
import { resolveTemplate } from '../../../shared/templates/store';
import { requireTemplate, requireVersion } from './queries';
import type { DocumentInput } from './schemas';
import { assertValidTemplate, checkChannelParts } from './validation';

export type SourceRequest = {
  kind: MessageKind;
  channel: Channel;
  locale: string;
  document?: DocumentInput;
  version?: number;
};

export type Source = {
  doc: TemplateDocument;
  /** Parse-cache key: the version id, a digest of an unsaved document, or the default's coordinates. */
  sourceKey: string;
  versionId: string | null;
  source: 'document' | 'version' | 'published' | 'default';
  version: number | null;
};

export async function resolveSource(d: Db, shopId: string, req: SourceRequest): Promise<Source> {
  if (req.document && req.version !== undefined) {
    throw new ApiError('validation_failed', 'version: send a document or a version, not both', [
      { path: 'version', message: 'send a document or a version, not both' },
    ]);
  }
  if (req.document) {
    const doc = checkChannelParts(req.channel, req.document, 'document');
    assertValidTemplate(req.kind, doc);
    const digest = await sha256Hex(JSON.stringify(doc));
    return { doc, sourceKey: `doc:${digest}`, versionId: null, source: 'document', version: null };
  }
  if (req.version !== undefined) {
    const template = await requireTemplate(d, shopId, req);
    const row = await requireVersion(d, template, req.version);
    return { doc: row.content, sourceKey: row.id, versionId: row.id, source: 'version', version: row.version };
  }
  const resolved = await resolveTemplate(d, shopId, req.kind, req.channel, req.locale);
  if (!resolved.versionId) {
    return { doc: resolved.doc, sourceKey: resolved.sourceKey, versionId: null, source: 'default', version: null };
  }
  const row = await d.query.templateVersions.findFirst({
    where: and(eq(templateVersions.shopId, shopId), eq(templateVersions.id, resolved.versionId)),
    columns: { version: true },
  });
  return {
    doc: resolved.doc,
    sourceKey: resolved.sourceKey,
    versionId: resolved.versionId,
    source: 'published',
    version: row?.version ?? null,
  };
}
