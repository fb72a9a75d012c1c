/** Helpers for the template API tests: scoped keys, drafts, publishing and previews. */
import { env } from 'cloudflare:workers';
import { call, type TestShop } from './gateway';

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    details?: { path: string; message: string; line?: number; column?: number }[];
  };
};

/** Issues a key of the shop with `scopes` through the API and returns it with its id. */
export async function issueKey(shop: TestShop, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await call('/v1/api-keys', {
    method: 'POST',
    key: shop.api_key,
    json: { name: scopes.join('+'), scopes },
  });
  if (res.status !== 201) throw new Error(`issueKey: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; api_key: string };
  return { id: body.id, key: body.api_key };
}

export const draft = (key: string, path: string, document: unknown) =>
  call(`/v1/templates/${path}/versions`, { method: 'POST', key, json: document });

export const publish = (key: string, path: string, version: number) =>
  call(`/v1/templates/${path}/versions/${version}/publish`, { method: 'POST', key });

export const previewOf = (key: string, body: Record<string, unknown>) =>
  call('/v1/templates/preview', { method: 'POST', key, json: body });

export const sms = (body: string, extra: Record<string, unknown> = {}) => ({ parts: { body }, ...extra });

export async function auditRows(shopId: string, action: string) {
  const { results } = await env.DB.prepare(
    'SELECT actor_key_id, entity_id, changes FROM audit_log WHERE shop_id = ? AND action = ? ORDER BY created_at, rowid',
  )
    .bind(shopId, action)
    .all<{ actor_key_id: string | null; entity_id: string; changes: string | null }>();
  return results.map((r) => ({ ...r, changes: r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : null }));
}
