/**
 * The bench's `order.created` event: the contract's example shape (examples/events/order-created.json)
 * with its order id, time and buyer as parameters. No Node imports, so bench-only workers
 * (bench/workers/intake-floor.ts) use it as well as the load generators.
 */
export type OrderCreatedOptions = { orderId: string; at: string; buyerId?: string; phone?: string };

export function orderCreatedEvent({
  orderId,
  at,
  buyerId = 'buyer_10001',
  phone = '+8613800138000',
}: OrderCreatedOptions) {
  return {
    type: 'order.created' as const,
    timestamp: at,
    data: {
      order_id: orderId,
      created_at: at,
      currency: 'CNY',
      total: '258.00',
      items: [
        { sku: 'TEA-LJ-250', title: '明前西湖龙井 250g', quantity: 1, unit_price: '198.00' },
        { sku: 'CUP-GLASS-2', title: '双层玻璃茶杯', quantity: 2, unit_price: '30.00' },
      ],
      buyer: { id: buyerId, name: '王小明', phone, locale: 'zh-CN', tags: ['tea-lover'] },
      shipping_address: {
        name: '王小明',
        phone,
        country: 'CN',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        line1: '文三路 100 号 2 单元 301 室',
        postal_code: '310012',
      },
    },
  };
}
