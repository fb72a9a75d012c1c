/**
 * Signed `order.created` deliveries for the intake load: each call gives a fresh `webhook-id`, the
 * current `webhook-timestamp`, a new order id, and the Standard Webhooks signature
 * (`v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`, key = the base64 after `whsec_`),
 * computed with node:crypto so the load generator stays cheap. The body is the contract's
 * order.created of ./order-created.ts, serialised once with placeholders.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { orderCreatedEvent } from './order-created.ts';

const ORDER = '__ORDER_ID__';
const NOW = '__NOW__';

const template = JSON.stringify(orderCreatedEvent({ orderId: ORDER, at: NOW }));

export type SignedDelivery = { headers: Record<string, string>; body: string };

/** Signs any body for one shop: a fresh webhook-id per call (a random run tag + a counter). */
export function webhookSigner(secret: string): (body: string) => SignedDelivery {
  if (!secret.startsWith('whsec_')) throw new Error('expected a whsec_ secret');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const tag = randomBytes(4).toString('hex');
  let n = 0;
  return (body) => {
    n += 1;
    const id = `msg_bench_${tag}_${n}`;
    const seconds = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', key).update(`${id}.${seconds}.${body}`).digest('base64');
    return {
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(seconds),
        'webhook-signature': `v1,${signature}`,
      },
      body,
    };
  };
}

/** A factory of signed order.created deliveries for one shop, each for a new order. */
export function signedOrderCreated(secret: string): () => SignedDelivery {
  const sign = webhookSigner(secret);
  const tag = randomBytes(4).toString('hex');
  let n = 0;
  return () => {
    n += 1;
    return sign(template.replaceAll(ORDER, `bench_${tag}_${n}`).replaceAll(NOW, new Date().toISOString()));
  };
}
