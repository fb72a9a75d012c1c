/**
 * Talking to a stack from `startStack` as its demo shop: API calls with the shop's key, and events of
 * the native contract signed with its webhook secret (Standard Webhooks) and delivered to the intake.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { DemoShop } from './stack.ts';

export function stackClient(baseUrl: string, shop: DemoShop) {
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${p}`, {
      ...init,
      headers: { authorization: `Bearer ${shop.api_key}`, 'content-type': 'application/json', ...init.headers },
    });
  /** Signs and delivers one event; answers the intake's status. */
  const send = async (type: string, data: Record<string, unknown>): Promise<number> => {
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    const response = await fetch(`${baseUrl}/v1/webhooks/${shop.shop_id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp.getTime() / 1000),
        'webhook-signature': new Webhook(shop.webhook_secret).sign(id, timestamp, body),
      },
      body,
    });
    await response.body?.cancel();
    return response.status;
  };
  return { api, send };
}
