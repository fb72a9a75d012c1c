/**
 * The read-only half of a simulation, in the gateway: the shop's state and events read from the
 * live database (SELECTs only), handed to the simulator, which has no binding to that database.
 * Events are the recorded ones whose own timestamp falls in the window (platform deliveries that
 * carried no event are left out), or the uploaded ones; buyers are the ones those events name.
 */
import { and, asc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import {
  blacklist,
  customers,
  shops,
  templates,
  templateVersions,
  webhookEvents,
  type Customer,
} from '../../../shared/db/schema';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import { ApiError } from '../../../shared/http/errors';
import type { SimEvent, SimState } from '../../../shared/simulation/input';
import { MAX_EVENTS } from './schemas';

const BUYERS_PER_QUERY = 500;

export async function recordedEvents(
  env: { DB: D1Database },
  shopId: string,
  from: Date,
  to: Date,
): Promise<SimEvent[]> {
  const rows = await dbFor(env, shopId)
    .select({ webhookId: webhookEvents.webhookId, source: webhookEvents.source, payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.shopId, shopId),
        gte(webhookEvents.occurredAt, from),
        lt(webhookEvents.occurredAt, to),
        ne(webhookEvents.outcome, 'ignored'),
      ),
    )
    .orderBy(asc(webhookEvents.occurredAt), asc(webhookEvents.receivedAt))
    .limit(MAX_EVENTS + 1);
  if (rows.length > MAX_EVENTS) {
    throw new ApiError('validation_failed', `the window holds more than ${MAX_EVENTS} events; choose a shorter one`, [
      { path: 'to', message: `more than ${MAX_EVENTS} events in the window` },
    ]);
  }
  return rows.map((r) => ({ webhookId: r.webhookId, source: r.source, body: r.payload as WebhookEventBody }));
}

/** The buyer ids the events name (order.created, or order.paid carrying the order). */
function buyerIds(events: SimEvent[]): string[] {
  const ids = new Set<string>();
  for (const { body } of events) {
    const buyer = 'buyer' in body.data ? body.data.buyer : undefined;
    if (buyer && typeof buyer === 'object' && 'id' in buyer && typeof buyer.id === 'string') ids.add(buyer.id);
  }
  return [...ids];
}

export async function readState(
  env: { DB: D1Database },
  shopId: string,
  events: SimEvent[],
  draftIds: string[],
): Promise<SimState> {
  const d = dbFor(env, shopId);
  const shop = await d.query.shops.findFirst({ where: eq(shops.id, shopId) });
  if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
  const shopTemplates = await d.select().from(templates).where(eq(templates.shopId, shopId));
  const published = shopTemplates.flatMap((t) => (t.publishedVersionId ? [t.publishedVersionId] : []));
  const versionIds = [...new Set([...published, ...draftIds])];
  const versions = versionIds.length
    ? await d
        .select()
        .from(templateVersions)
        .where(and(eq(templateVersions.shopId, shopId), inArray(templateVersions.id, versionIds)))
    : [];
  const missing = draftIds.filter((id) => !versions.some((v) => v.id === id));
  if (missing.length) {
    throw new ApiError(
      'validation_failed',
      `overrides.template_versions: unknown version ${missing[0]}`,
      missing.map((id) => ({
        path: `overrides.template_versions.${draftIds.indexOf(id)}`,
        message: `no version ${id} in this shop`,
      })),
    );
  }
  const ids = buyerIds(events);
  const buyers: Customer[] = [];
  for (let i = 0; i < ids.length; i += BUYERS_PER_QUERY) {
    const chunk = JSON.stringify(ids.slice(i, i + BUYERS_PER_QUERY));
    buyers.push(
      ...(await d
        .select()
        .from(customers)
        .where(and(eq(customers.shopId, shopId), sql`${customers.id} IN (SELECT value FROM json_each(${chunk}))`))),
    );
  }
  const blocked = await d.select().from(blacklist).where(eq(blacklist.shopId, shopId));
  return { shop, templates: shopTemplates, versions, customers: buyers, blacklist: blocked };
}
