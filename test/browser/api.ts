/** Direct calls to the stack under test, for setting up and checking what the browser did. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { inject } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function apiCall<T = unknown>(path: string, init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${inject('baseUrl')}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${inject('shop').api_key}`,
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Sends one example event (examples/events/<file>) for `orderId`, signed with the demo shop's secret. */
export async function sendEvent(file: string, orderId: string): Promise<void> {
  const now = new Date().toISOString();
  const text = readFileSync(path.join(root, 'examples', 'events', file), 'utf8');
  await sendBody(JSON.parse(text.replaceAll('{{now}}', now).replaceAll('{{order_id}}', orderId)));
}

/** Sends one event body to the demo shop's webhook, signed with its secret; throws unless accepted. */
export async function sendBody(event: unknown): Promise<void> {
  const { shop_id, webhook_secret } = inject('shop');
  const body = JSON.stringify(event);
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
  const response = await fetch(`${inject('baseUrl')}/v1/webhooks/${shop_id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp.getTime() / 1000),
      'webhook-signature': new Webhook(webhook_secret).sign(id, timestamp, body),
    },
    body,
  });
  if (response.status !== 202) throw new Error(`${body.slice(0, 80)}: ${response.status} ${await response.text()}`);
}

type Timeline = { messages: { message_id: string; kind: string; status: string; reason: string | null }[] };

/** Polls the order until one of its messages matches, for up to 15 s. */
export async function waitForMessage(orderId: string, match: (m: Timeline['messages'][number]) => boolean) {
  for (let i = 0; i < 75; i++) {
    const { status, body } = await apiCall<Timeline>(`/v1/orders/${orderId}`);
    const found = status === 200 ? body.messages.find(match) : undefined;
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no matching message on order ${orderId}`);
}
