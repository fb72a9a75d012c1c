/**
 * The lease reaper: a `sending` row whose lease ran out means a dispatcher died
 * between claiming and recording. Where the provider can look the message up,
 * its answer decides; otherwise the message goes `dead` with
 * `lease_expired_unknown` for an operator to check and retry. Never a blind resend.
 */
import { and, eq, lt } from 'drizzle-orm';
import { canLookUp, connectProvider, isProvider } from '../../shared/channels';
import type { LookupResult, SendContext } from '../../shared/channels/types';
import type { Db } from '../../shared/db/client';
import { messages, type Message } from '../../shared/db/schema';
import { loadCredentials } from '../../shared/delivery/credentials';
import { outboundMessage } from '../../shared/delivery/outbound';
import { finish, markSent, reschedule } from '../../shared/delivery/outbox';

const BATCH = 50;

async function lookUp(db: Db, encryptionKey: string | undefined, m: Message, ctx: SendContext): Promise<LookupResult> {
  const provider = m.provider;
  if (!isProvider(provider) || !canLookUp(provider)) return { status: 'unknown' };
  try {
    const stored = provider === 'local' ? {} : await loadCredentials(db, encryptionKey, m.shopId, provider);
    if (stored === undefined) return { status: 'unknown' };
    const { lookup } = connectProvider(provider, stored);
    if (!lookup) return { status: 'unknown' };
    // The same outbound message the dispatcher sent, plus the provider's id if it was recorded.
    return await lookup({ ...outboundMessage(m), providerMessageId: m.providerMessageId }, ctx);
  } catch {
    return { status: 'unknown' };
  }
}

export async function reapExpiredLeases(
  db: Db,
  encryptionKey: string | undefined,
  now: Date,
  fetcher: typeof fetch = fetch,
) {
  const expired = await db.query.messages.findMany({
    where: and(eq(messages.status, 'sending'), lt(messages.leaseExpiresAt, now)),
    limit: BATCH,
  });
  const counts: Record<string, number> = {};
  for (const m of expired) {
    if (!m.provider) {
      // The worker died before it called any provider: nothing can have been sent, so it may go again.
      await reschedule(db, m, now, now, { error: 'lease expired before any provider call' });
      counts.requeued = (counts.requeued ?? 0) + 1;
      continue;
    }
    const found = await lookUp(db, encryptionKey, m, { fetch: fetcher, now: () => now });
    if (found.status === 'unknown')
      await finish(db, m, 'dead', 'lease_expired_unknown', now, 'lease expired; outcome unknown');
    else if (found.status === 'failed')
      await finish(db, m, 'failed', 'provider_rejected', now, 'provider reports failure');
    else
      await markSent(
        db,
        m,
        { provider: m.provider!, providerMessageId: found.providerMessageId, status: found.status },
        now,
      );
    counts[found.status] = (counts[found.status] ?? 0) + 1;
  }
  return counts;
}
