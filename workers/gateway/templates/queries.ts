/** Reads of a shop's templates and versions; every query is scoped by the key's shop. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { shops, templates, templateVersions, type Channel, type Template } from '../../../shared/db/schema';
import { newId } from '../../../shared/crypto/random';
import { ApiError } from '../../../shared/http/errors';
import type { MessageKind } from '../../../shared/templates/kinds';

export type TemplateKey = { kind: MessageKind; channel: Channel; locale: string };

export const describeKey = (key: TemplateKey) => `${key.kind}/${key.channel}/${key.locale}`;

export async function loadShop(d: Db, shopId: string) {
  const shop = await d.query.shops.findFirst({ where: eq(shops.id, shopId) });
  if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
  return shop;
}

export function findTemplate(d: Db, shopId: string, key: TemplateKey) {
  return d.query.templates.findFirst({
    where: and(
      eq(templates.shopId, shopId),
      eq(templates.kind, key.kind),
      eq(templates.channel, key.channel),
      eq(templates.locale, key.locale),
    ),
  });
}

export async function requireTemplate(d: Db, shopId: string, key: TemplateKey): Promise<Template> {
  const template = await findTemplate(d, shopId, key);
  if (!template) throw new ApiError('not_found', `This shop has no template ${describeKey(key)}`);
  return template;
}

/** The template row for `key`, created on first use; a concurrent creator's row is reused. */
export async function ensureTemplate(d: Db, shopId: string, key: TemplateKey, now: Date): Promise<Template> {
  await d
    .insert(templates)
    .values({ id: newId('tpl'), shopId, ...key, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [templates.shopId, templates.kind, templates.channel, templates.locale] });
  return (await findTemplate(d, shopId, key))!;
}

export function listVersions(d: Db, shopId: string, templateId: string) {
  return d.query.templateVersions.findMany({
    where: and(eq(templateVersions.shopId, shopId), eq(templateVersions.templateId, templateId)),
    orderBy: [desc(templateVersions.version)],
  });
}

export async function requireVersion(d: Db, template: Template, version: number) {
  const row = await d.query.templateVersions.findFirst({
    where: and(
      eq(templateVersions.shopId, template.shopId),
      eq(templateVersions.templateId, template.id),
      eq(templateVersions.version, version),
    ),
  });
  if (!row)
    throw new ApiError(
      'not_found',
      `Template ${template.kind}/${template.channel}/${template.locale} has no version ${version}`,
    );
  return row;
}

/** The highest version number of a template, 0 when it has none. */
export async function latestVersion(d: Db, templateId: string): Promise<number> {
  const row = await d.query.templateVersions.findFirst({
    where: eq(templateVersions.templateId, templateId),
    orderBy: [desc(templateVersions.version)],
    columns: { version: true },
  });
  return row?.version ?? 0;
}

/** True when D1 rejected a write on a UNIQUE index (drizzle wraps the D1 error in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes('UNIQUE constraint failed')) return true;
  }
  return false;
}
