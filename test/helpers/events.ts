/** Builders of contract-shaped webhook bodies for tests. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** A full mainland shipping address, as the address page and the masking rules see it. */
export const sampleAddress = {
  name: '王小明',
  phone: '+8613812345678',
  country: 'CN',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  line1: '文三路 100 号 5 单元 601 室',
};

export function orderCreated(orderId: string, at: number, overrides: Record<string, unknown> = {}) {
  return {
    type: 'order.created',
    timestamp: iso(at),
    data: {
      order_id: orderId,
      created_at: iso(at),
      currency: 'CNY',
      total: '258.00',
      items: [{ sku: 'TEA-01', title: '明前龙井 250g', quantity: 2, unit_price: '129.00' }],
      buyer: { id: 'buyer-1', name: '王小明', phone: '+8613800138000', locale: 'zh-CN', tags: ['koala'] },
      shipping_address: {
        name: '王小明',
        country: 'CN',
        province: '浙江省',
        city: '杭州市',
        line1: '西湖区文三路 1 号',
      },
      ...overrides,
    },
  };
}

export const orderPaid = (orderId: string, at: number) => ({
  type: 'order.paid',
  timestamp: iso(at),
  data: { order_id: orderId, paid_at: iso(at) },
});

export const orderShipped = (orderId: string, at: number) => ({
  type: 'order.shipped',
  timestamp: iso(at),
  data: { order_id: orderId, shipped_at: iso(at), carrier: 'SF', tracking_number: 'SF1234567890' },
});

export const orderCancelled = (orderId: string, at: number) => ({
  type: 'order.cancelled',
  timestamp: iso(at),
  data: { order_id: orderId, cancelled_at: iso(at), reason: 'buyer request' },
});

export const shipmentUpdated = (
  orderId: string,
  status: string,
  at: number,
  extra: { tracking_number?: string; carrier?: string; location?: string; detail?: string } = {},
) => ({
  type: 'shipment.updated',
  timestamp: iso(at),
  data: {
    order_id: orderId,
    carrier: extra.carrier ?? 'SF',
    tracking_number: extra.tracking_number ?? 'SF1234567890',
    status,
    occurred_at: iso(at),
    ...(extra.location ? { location: extra.location } : {}),
    ...(extra.detail ? { detail: extra.detail } : {}),
  },
});
