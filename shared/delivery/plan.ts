/**
 * Planning messages into the outbox. One row per business key
 * (shop, order, kind, step, channel, recipient): planning twice is a no-op.
 * Rows due now are queued for the dispatcher at once; the dispatcher's cron
 * queues the rest when due, and also any row whose queue message was lost.
 * `planMessage` does it all; `prepareMessage` + `enqueuePrepared` let a flow
 * write the message in one D1 batch with its other changes.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { insertMessagesStatement } from './insert-many';
import type { Customer, FallbackAlternative, MessageReason, OrderState, ShortLinkRow, Shop } from '../db/schema';
import { newId } from '../crypto/random';
import type { MessageKind } from '../templates/kinds';
import { messageKinds } from '../templates/kinds';
import type { Audience } from '../templates/variants';
import { composeEach, type ComposedText, type TemplateMemo } from './compose';
import { dataWithShortLinks, SHORT_LINK_TTL_MS, shortLinkInserts, shortLinksStatement } from '../links/shorten';
import { insertMessage, type MessageRow } from './outbox';
import { candidates, noChannelReason, type RouteStep } from './routing';
import { deliverySettings, routeFor, type DeliverySettings } from './settings';
import { clockFor, clockLabel } from '../time/buyer-clock';

export const dispatchJobSchema = z.object({ shopId: z.string(), messageId: z.string() });
export type DispatchJob = z.infer<typeof dispatchJobSchema>;

export type PlanRequest = {
  shop: Shop;
  orderId: string;
  customer: Customer | null;
  kind: MessageKind;
  step?: number;
  locale: string;
  data: Record<string, unknown>;
  audience: Audience;
  dueAt?: Date;
  expectsOrderState?: OrderState;
  /** When the text stops being true (a cutoff it names, the auto-close, midnight for day words); see policy.ts. */
  sendBy?: Date;
  /** Record the message as skipped for this reason instead of rendering it (e.g. `stale_event`). */
  skipReason?: MessageReason;
  /** The gateway's public base URL (`env.PUBLIC_URL`): links in SMS texts become short links on it. */
  publicUrl: string;
  /** `deliverySettings(shop.delivery)`, when the caller has it already (a pass parses it once per shop). */
  delivery?: DeliverySettings;
};

export type PlanResult = { id: string; status: 'queued' | 'skipped'; reason?: MessageReason; duplicate: boolean };

/**
 * A message ready to insert: its row, and the INSERT (a no-op on the business key) to run alone or in a
 * batch; with the short links its SMS texts carry, to write in the same batch after it (`shortLinkInserts`).
 */
export type PreparedMessage = {
  row: MessageRow;
  insert: ReturnType<typeof insertMessage>;
  shortLinks?: ShortLinkRow[];
};

/**
 * Chooses the channel and renders the text, without writing. A flow that must write the message together
 * with other changes puts `insert` in its D1 batch, then calls `enqueuePrepared` with what it returned.
 *
 * The fallback route is fixed here too: every later channel the recipient can be reached on is rendered
 * now and stored with the row (`alternatives`), so a fallback at send time inserts the next of them and
 * the dispatcher never renders.
 */
export async function prepareMessage(
  db: Db,
  req: PlanRequest,
  now = new Date(),
  memo?: TemplateMemo,
): Promise<PreparedMessage> {
  const settings = req.delivery ?? deliverySettings(req.shop.delivery);
  const [next, ...later] = candidates(settings, req.kind, req.customer);
  const base = {
    id: newId('msg'),
    shopId: req.shop.id,
    orderId: req.orderId,
    buyerId: req.customer?.id ?? null,
    kind: req.kind,
    step: req.step ?? 0,
    data: req.data,
    locale: req.locale,
    expectsOrderState: req.expectsOrderState ?? null,
    dueAt: req.dueAt ?? now,
    sendBy: req.sendBy ?? null,
    // Staff messages are judged by the shop's clock; a buyer's by their own when known.
    clock: clockLabel(clockFor(messageKinds[req.kind].audience === 'staff' ? null : req.customer, req.shop.timezone)),
    createdAt: now,
    updatedAt: now,
  };
  const staff = messageKinds[req.kind].audience === 'staff';
  const route = routeFor(settings, req.kind, staff);
  let row: MessageRow;
  let shortLinks: ShortLinkRow[] = [];
  // Already untrue when planned (e.g. a pass that ran after the cutoff it would name): recorded, never sent.
  const skipReason = req.skipReason ?? (req.sendBy && req.sendBy.getTime() <= now.getTime() ? 'expired' : undefined);
  if (skipReason) {
    // Same business key as the message it stands for, so the two can never both exist.
    const channel = next?.channel ?? route[0]!;
    row = { ...base, channel, recipient: next?.recipient ?? '', status: 'skipped', reason: skipReason };
  } else if (!next) {
    row = {
      ...base,
      channel: route[0]!,
      recipient: '',
      status: 'skipped',
      reason: noChannelReason(route, req.customer),
    };
  } else {
    // One template lookup for the message and its fallback channels, rendered together.
    const [first, ...rest] = await composeEach(
      db,
      { ...req, seed: req.orderId, shortLinksOn: req.publicUrl },
      [next, ...later].map((s) => s.channel),
      memo,
    );
    if (first!.status === 'rejected') throw first!.reason;
    const { links, ...composed } = first!.value;
    const alternatives = alternativesFrom(req, later, rest);
    shortLinks = linkRows(base, [{ links, variant: composed.variant }, ...alternatives.texts]);
    row = {
      ...base,
      // Template-based SMS providers send these values: their links must be the short ones too.
      data: dataWithShortLinks(req.data, shortLinks, req.publicUrl),
      ...composed,
      channel: next.channel,
      recipient: next.recipient,
      status: 'queued',
      fallbackReason: next.fallbackReason,
      alternatives: alternatives.kept,
    };
  }
  // The drizzle INSERT is built on first use: `planMany` writes rows in one raw statement and never asks.
  let insert: PreparedMessage['insert'] | undefined;
  return {
    row,
    get insert() {
      return (insert ??= insertMessage(db, row));
    },
    shortLinks,
  };
}

/**
 * The short-link rows of a message's texts (its own and its fallback channels'), all keyed to the
 * message. A link lives until SHORT_LINK_TTL_MS after the message is due: the buyer reads and taps
 * it later than it is sent, so the message's send-by deadline is no bound for it.
 */
function linkRows(
  base: { id: string; shopId: string; kind: string; dueAt: Date; createdAt: Date },
  texts: { links: ComposedText['links']; variant: string }[],
): ShortLinkRow[] {
  const expiresAt = new Date(Math.max(base.dueAt.getTime(), base.createdAt.getTime()) + SHORT_LINK_TTL_MS);
  return texts.flatMap(({ links, variant }) =>
    links.map(({ code, destination }) => ({
      code,
      shopId: base.shopId,
      messageId: base.id,
      kind: base.kind,
      variant,
      destination,
      expiresAt,
      createdAt: base.createdAt,
    })),
  );
}

/**
 * The route's later reachable channels with their texts. One whose text failed to render is left out, with
 * the failure passed on to the next one's reason: the message itself must not fail for its fallback's sake.
 */
function alternativesFrom(
  req: PlanRequest,
  later: RouteStep[],
  rendered: PromiseSettledResult<ComposedText>[],
): { kept: FallbackAlternative[]; texts: { links: ComposedText['links']; variant: string }[] } {
  const alternatives: FallbackAlternative[] = [];
  const texts: { links: ComposedText['links']; variant: string }[] = [];
  let failed: string[] = [];
  for (const [i, step] of later.entries()) {
    const result = rendered[i]!;
    if (result.status === 'rejected') {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'fallback channel did not render; left out of the route',
          kind: req.kind,
          channel: step.channel,
          error: String(result.reason),
        }),
      );
      failed = [...failed, ...(step.fallbackReason ? [step.fallbackReason] : []), `render_failed:${step.channel}`];
      continue;
    }
    const passed = [...failed, ...(step.fallbackReason ? [step.fallbackReason] : [])];
    const { links, ...composed } = result.value;
    alternatives.push({ channel: step.channel, ...composed, passed: passed.length ? passed.join(';') : null });
    texts.push({ links, variant: composed.variant });
    failed = [];
  }
  return { kept: alternatives, texts };
}

/** After the INSERT ran (`inserted` is what it returned): queues the row for the dispatcher if it is new and due. */
export async function enqueuePrepared(
  queue: Queue<DispatchJob> | undefined,
  prepared: PreparedMessage,
  inserted: { id: string }[],
  now = new Date(),
): Promise<PlanResult> {
  const { row } = prepared;
  const status = row.status as 'queued' | 'skipped';
  const [first] = inserted;
  if (!first) return { id: '', status, duplicate: true };
  if (status === 'queued' && row.dueAt!.getTime() <= now.getTime()) {
    // If this send fails, the dispatcher's due scan still finds the row: nothing is lost.
    await queue?.send({ shopId: row.shopId, messageId: first.id }).catch((error: unknown) => {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'enqueue failed; the due scan will pick it up',
          id: first.id,
          error: String(error),
        }),
      );
    });
  }
  return { id: first.id, status, reason: row.reason ?? undefined, duplicate: false };
}

/**
 * Writes many prepared messages with one statement, in one D1 batch with `alongside` (a pass's timer
 * completions), then queues the new due ones with as few `sendBatch` calls as the queue allows.
 * Results follow the order of `prepared`; a message whose business key already existed is a duplicate.
 */
export async function planMany(
  d1: D1Database,
  queue: Queue<DispatchJob> | undefined,
  prepared: PreparedMessage[],
  alongside: D1PreparedStatement[],
  now = new Date(),
): Promise<PlanResult[]> {
  const rows = prepared.map((p) => p.row);
  const links = shortLinksStatement(
    d1,
    prepared.flatMap((p) => p.shortLinks ?? []),
  );
  // The links after the messages they belong to, so each finds its message written (or not).
  const statements = rows.length
    ? [insertMessagesStatement(d1, rows), ...(links ? [links] : []), ...alongside]
    : alongside;
  if (statements.length === 0) return [];
  const [written] = await d1.batch<{ id: string }>(statements);
  const inserted = new Set(rows.length ? written!.results.map((r) => r.id) : []);
  const results: PlanResult[] = rows.map((row) => {
    const status = row.status as 'queued' | 'skipped';
    if (!inserted.has(row.id!)) return { id: '', status, duplicate: true };
    return { id: row.id!, status, reason: row.reason ?? undefined, duplicate: false };
  });
  const jobs = results.flatMap((r, i) =>
    !r.duplicate && r.status === 'queued' && rows[i]!.dueAt!.getTime() <= now.getTime()
      ? [{ body: { shopId: rows[i]!.shopId, messageId: r.id } }]
      : [],
  );
  for (let i = 0; i < jobs.length && queue; i += SEND_BATCH_MAX) {
    const chunk = jobs.slice(i, i + SEND_BATCH_MAX);
    // If this fails, the dispatcher's due scan still finds the rows: nothing is lost.
    await queue.sendBatch(chunk).catch((error: unknown) => {
      const msg = 'enqueue failed; the due scan will pick them up';
      console.warn(JSON.stringify({ level: 'warn', msg, count: chunk.length, error: String(error) }));
    });
  }
  return results;
}

/** Queues' `sendBatch` takes at most 100 messages. */
const SEND_BATCH_MAX = 100;

/** Plans one message on its own: prepare, insert, queue. */
export async function planMessage(
  db: Db,
  queue: Queue<DispatchJob> | undefined,
  req: PlanRequest,
  now = new Date(),
): Promise<PlanResult> {
  const prepared = await prepareMessage(db, req, now);
  const [inserted] = await db.batch([prepared.insert, ...shortLinkInserts(db, prepared.shortLinks)]);
  return enqueuePrepared(queue, prepared, inserted, now);
}
