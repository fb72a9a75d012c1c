/**
 * Signed `order.created` deliveries for the intake load: each call gives a fresh `webhook-id`, the
 * current `webhook-timestamp`, a new order id, and the Standard Webhooks signature
 * (`v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`, key = the base64 after `whsec_`),
 * computed with node:crypto so the load generator stays cheap. The body is the contract's
 * order.created (examples/events/order-created.json shape), serialised once with placeholders.
 */
import { createHmac, randomBytes } from 'node:crypto';

const ORDER = '__ORDER_ID__';
const NOW = '__NOW__';

const template = JSON.stringify({
  type: 'order.created',
  timestamp: NOW,
  data: {
    order_id: ORDER,
    created_at: NOW,
    currency: 'CNY',
    total: '258.00',
    items: [
      { sku: 'TEA-LJ-250', title: '明前西湖龙井 250g', quantity: 1, unit_price: '198.00' },
      { sku: 'CUP-GLASS-2', title: '双层玻璃茶杯', quantity: 2, unit_price: '30.00' },
    ],
    buyer: { id: 'buyer_10001', name: '王小明', phone: '+8613800138000', locale: 'zh-CN', tags: ['tea-lover'] },
    shipping_address: {
      name: '王小明',
      phone: '+8613800138000',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      line1: '文三路 100 号 2 单元 301 室',
      postal_code: '310012',
    },
  },
});

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
