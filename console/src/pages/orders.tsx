/**
 * Find an order by id and read its timeline: events, messages (status and reason in words, with a
 * retry for dead or failed ones on an admin key), the buyer's address answers, parcels with their
 * tracking events and review holds, in time order.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, type Schemas } from '../api/client';
import { can, useIdentity } from '../auth';
import { fill, useT, type Messages } from '../i18n';
import { href } from '../router';
import { holdEntries, parcelEntries, type Entry } from './order-entries';
import { useApi } from './use-api';

type Order = Schemas['OrderView'];

/** The reason of a message in words, in the UI language; the code stays visible for searching. */
export function reasonText(t: Messages, reason: string | null | undefined): string {
  return reason ? `${t.reasons[reason] ?? reason} (${reason})` : '';
}

export function OrdersPage({ orderId }: { orderId?: string | undefined }) {
  const t = useT();
  const [query, setQuery] = useState(orderId ?? '');
  return (
    <>
      <h1>{t.orders.title}</h1>
      <form
        class="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) location.hash = href('orders', query.trim());
        }}
      >
        <label>
          {t.orders.find}
          <input name="order_id" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <button type="submit">{t.orders.search}</button>
      </form>
      {orderId && <Timeline orderId={orderId} key={orderId} />}
    </>
  );
}

function Timeline({ orderId }: { orderId: string }) {
  const t = useT();
  const order = useApi(() => api.GET('/v1/orders/{order_id}', { params: { path: { order_id: orderId } } }), [orderId]);
  if (order.error?.code === 'not_found') return <p class="error">{fill(t.orders.notFound, { id: orderId })}</p>;
  if (order.error) return <p class="error">{fill(t.error, { message: order.error.message })}</p>;
  if (!order.data) return <p>{t.loading}</p>;
  const entries = timeline(t, order.data, order.reload).sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section class="card">
      <h2>
        <code>{order.data.order_id}</code> · {fill(t.orders.state, { state: order.data.state })}
      </h2>
      <h3>{t.orders.timeline}</h3>
      <ol class="timeline" data-testid="timeline">
        {entries.map((e) => (
          <li key={e.key} class={e.kind}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
            {e.view}
          </li>
        ))}
      </ol>
    </section>
  );
}

function timeline(t: Messages, order: Order, reload: () => void): Entry[] {
  return [
    ...order.events.map((e) => ({
      at: e.occurred_at,
      kind: 'event' as const,
      key: e.event_id,
      view: fill(t.orders.event, { type: e.type, outcome: e.outcome }),
    })),
    ...order.messages.map((m) => ({
      at: m.created_at,
      kind: 'message' as const,
      key: m.message_id,
      view: <MessageEntry message={m} reload={reload} />,
    })),
    ...order.address_responses.map((a, i) => ({
      at: a.created_at,
      kind: 'address' as const,
      key: `address-${i}`,
      view: `${fill(t.orders.address, { action: a.action })}${a.correction ? `: ${a.correction}` : ''}`,
    })),
    ...parcelEntries(t, order),
    ...holdEntries(t, order),
  ];
}

function MessageEntry({ message: m, reload }: { message: Order['messages'][number]; reload: () => void }) {
  const t = useT();
  const identity = useIdentity();
  const [notice, setNotice] = useState('');
  const body =
    (m.rendered as Record<string, string> | null)?.body ?? (m.rendered as Record<string, string> | null)?.text;
  const retry = async () => {
    const { data, error, response } = await api.POST('/v1/messages/{message_id}/retry', {
      params: { path: { message_id: m.message_id } },
    });
    setNotice(data ? t.orders.retried : errorOf(error, response.status).message);
    reload();
  };
  return (
    <span data-testid={`message-${m.kind}`}>
      <b>{fill(t.orders.message, { kind: m.kind, channel: m.channel, status: m.status })}</b>{' '}
      <span class="status">({t.statuses[m.status]})</span>
      {m.reason && <span class="reason"> — {reasonText(t, m.reason)}</span>}
      {body && <div class="muted">{body}</div>}
      {(m.status === 'dead' || m.status === 'failed') && can(identity, 'admin') && (
        <button type="button" onClick={retry}>
          {t.orders.retry}
        </button>
      )}
      {notice && <span role="status"> {notice}</span>}
    </span>
  );
}
