/**
 * Clicks on the short links of SMS texts, per message kind and template variant: the links created
 * (messages planned) in the range, read by `short_links_created_idx`, with the clicks they have had
 * since. A message counts once however many links its text carries.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { shortLinks } from '../../../shared/db/schema';

export type ClickMetricsRow = {
  kind: string;
  variant: string;
  messages: number;
  messages_clicked: number;
  clicks: number;
  click_rate: number;
};

export async function clickMetrics(db: Db, shopId: string, from: Date, to: Date): Promise<ClickMetricsRow[]> {
  const rows = await db
    .select({
      kind: shortLinks.kind,
      variant: shortLinks.variant,
      messages: sql<number>`count(distinct ${shortLinks.messageId})`,
      clicked: sql<number>`count(distinct case when ${shortLinks.clicks} > 0 then ${shortLinks.messageId} end)`,
      clicks: sql<number>`sum(${shortLinks.clicks})`,
    })
    .from(shortLinks)
    .where(and(eq(shortLinks.shopId, shopId), gte(shortLinks.createdAt, from), lt(shortLinks.createdAt, to)))
    .groupBy(shortLinks.kind, shortLinks.variant)
    .orderBy(shortLinks.kind, shortLinks.variant);
  return rows.map((r) => ({
    kind: r.kind,
    variant: r.variant,
    messages: r.messages,
    messages_clicked: r.clicked,
    clicks: r.clicks,
    click_rate: Math.round((r.clicked / r.messages) * 10_000) / 10_000,
  }));
}
