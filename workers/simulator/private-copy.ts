/**
 * The run's private state: the shop, its templates (drafts swapped in), buyers and blacklist,
 * written into the simulator's own database under a private shop id, and deleted again when the
 * report is taken. Every provider becomes `local`, the recording channel: it stores the rendered
 * message on its row and calls nothing, so a simulation never sends.
 */
import { getTableName } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { runBatch, type Db } from '../../shared/db/client';
import * as schema from '../../shared/db/schema';
import type { SimState, Variant } from '../../shared/simulation/input';

/** Every channel through the recording channel, whatever the shop's providers are. */
export const RECORDING_PROVIDERS = { sms: ['local'], email: ['local'], chat: ['local'], webhook: ['local'] };
const CHUNK = 50;

/** Ids of rows copied from the live shop get the private shop's prefix, so runs never share a row. */
export const privateRowId = (privateShopId: string, id: string) => `${privateShopId}:${id}`;

export async function writePrivateCopy(d: Db, privateShopId: string, state: SimState, variant: Variant, now: Date) {
  const id = (value: string) => privateRowId(privateShopId, value);
  const live = state.shop;
  const shop = {
    ...live,
    ...variant.shop,
    id: privateShopId,
    delivery: { ...(variant.delivery ?? live.delivery ?? {}), providers: RECORDING_PROVIDERS },
    webhookSecretEnc: 'simulation',
    previousWebhookSecretEnc: null,
    previousWebhookSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const published = new Map(state.templates.map((t) => [t.id, t.publishedVersionId]));
  const drafts = new Set(variant.drafts ?? []);
  for (const v of state.versions) if (drafts.has(v.id)) published.set(v.templateId, v.id);
  const used = new Set([...published.values()].filter((v) => v !== null));
  const statements: BatchItem<'sqlite'>[] = [
    ...state.templates.map((t) =>
      d.insert(schema.templates).values({
        ...t,
        id: id(t.id),
        shopId: privateShopId,
        publishedVersionId: published.get(t.id) ? id(published.get(t.id)!) : null,
      }),
    ),
    ...state.versions
      .filter((v) => used.has(v.id))
      .map((v) =>
        d.insert(schema.templateVersions).values({
          ...v,
          id: id(v.id),
          shopId: privateShopId,
          templateId: id(v.templateId),
          createdByKeyId: null,
        }),
      ),
    ...state.customers.map((c) => d.insert(schema.customers).values({ ...c, shopId: privateShopId })),
    ...state.blacklist.map((b) => d.insert(schema.blacklist).values({ ...b, shopId: privateShopId })),
  ];
  await d.insert(schema.shops).values(shop);
  for (let i = 0; i < statements.length; i += CHUNK) await runBatch(d, statements.slice(i, i + CHUNK));
}

/** Tables holding a shop's rows, children before the tables they reference. */
export const shopTables: SQLiteTable[] = [
  schema.shortLinks,
  schema.messages,
  schema.flowTimers,
  schema.trackingEvents,
  schema.trackingSubscriptions,
  schema.shipments,
  schema.reviewHolds,
  schema.reviews,
  schema.cases,
  schema.addressResponses,
  schema.webhookEvents,
  schema.orders,
  schema.customers,
  schema.templateVersions,
  schema.templates,
  schema.blacklist,
  schema.auditLog,
  schema.integrations,
  schema.providerCredentials,
  schema.apiKeys,
];

/** Deletes everything under the private shop id in one batch, the shop last. */
export async function deletePrivateCopy(d1: D1Database, privateShopId: string) {
  const del = (sql: string) => d1.prepare(sql).bind(privateShopId);
  await d1.batch([
    ...shopTables.map((table) => del(`DELETE FROM "${getTableName(table)}" WHERE shop_id = ?1`)),
    del('DELETE FROM shops WHERE id = ?1'),
  ]);
}
