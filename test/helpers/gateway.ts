/** Test helpers that drive the gateway through its real fetch handler. */
import { env, exports } from 'cloudflare:workers';
import type { FlowRunner } from '../../shared/flows/runner';

const BASE = 'http://orderbell.test';

export function call(path: string, init: RequestInit & { json?: unknown; key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

export type TestShop = { shop_id: string; api_key: string; webhook_secret: string };

export async function createShop(name = 'Test Shop', timezone?: string): Promise<TestShop> {
  const res = await call('/v1/shops', { method: 'POST', key: env.OPERATOR_TOKEN, json: { name, timezone } });
  if (res.status !== 201) throw new Error(`createShop: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Standard Webhooks signature computed independently of the library the gateway
 * uses: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64 key after `whsec_`.
 */
export async function sign(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

let counter = 0;
export const nextWebhookId = () => `msg_test_${Date.now()}_${++counter}`;

export type SendOptions = {
  id?: string;
  timestamp?: number;
  secret?: string;
  signature?: string;
  headers?: Record<string, string | undefined>;
  rawBody?: string;
};

/** Sends `event` to the shop's intake, signed correctly unless the options say otherwise. */
export async function sendEvent(shop: TestShop, event: unknown, opts: SendOptions = {}) {
  const body = opts.rawBody ?? JSON.stringify(event);
  const id = opts.id ?? nextWebhookId();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? (await sign(opts.secret ?? shop.webhook_secret, id, timestamp, body));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return call(`/v1/webhooks/${shop.shop_id}`, { method: 'POST', headers, body });
}

/**
 * Runs the shop's waiting unpaid-reminders triggers now, through the real worker behind the
 * gateway's service binding (its manual pass runs them first), as the flow's queue would.
 */
export async function settleReminders(shopId: string) {
  await (env.UNPAID_REMINDERS as unknown as FlowRunner).run(shopId);
}

/**
 * A fixed-offset IANA zone (`Etc/GMT∓N`) where it is about noon now, for tests whose reminders must
 * not be due yet whatever the time of day the suite runs (with a 00:00 cutoff and a 60-minute lead,
 * a Shanghai shop's reminder is due at once between 23:00 and 00:00 local).
 */
export function zoneAtNoon(now = new Date()): string {
  const offset = Math.max(-12, Math.min(14, 12 - now.getUTCHours()));
  // Etc/GMT names carry the opposite sign: UTC+8 is Etc/GMT-8.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
