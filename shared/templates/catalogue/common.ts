/** Variables every buyer-facing kind can use: the shop, the buyer and the order. */
import type { VariableSpec } from './types';

export const shopVars: VariableSpec[] = [
  { path: 'shop.name', type: 'string', description: 'Shop name', sample: '茶小铺', longest: '杭州西湖龙井茶叶旗舰店' },
];

export const buyerVars: VariableSpec[] = [
  {
    path: 'buyer.name',
    type: 'string',
    description: 'Buyer name (may be empty)',
    sample: '王小明',
    longest: '欧阳慕容晓明',
  },
  {
    path: 'buyer.returning',
    type: 'boolean',
    description: 'True when the buyer has paid an earlier order',
    sample: false,
  },
  {
    path: 'buyer.persona',
    type: 'string',
    description: 'Persona tag set by the shop: tiger, peacock, koala, owl, or empty',
    sample: 'koala',
    longest: 'peacock',
  },
];

export const orderVars: VariableSpec[] = [
  {
    path: 'order.id',
    type: 'string',
    description: "The shop's order number",
    sample: '20261111-0042',
    longest: '202611110000004200001',
  },
  {
    path: 'order.total',
    type: 'money',
    description: 'Order total with currency, e.g. ¥258.00',
    sample: '¥258.00',
    longest: '¥12,888.00',
  },
  { path: 'order.item_count', type: 'number', description: 'Number of items', sample: 2, longest: 12 },
  {
    path: 'order.first_item',
    type: 'string',
    description: 'Title of the first item',
    sample: '明前西湖龙井 250g',
    longest: '明前特级西湖龙井茶叶礼盒装 250g ×2',
  },
  {
    path: 'order.items',
    type: 'list',
    description: 'The items: title, quantity, unit_price',
    sample: [
      { title: '明前西湖龙井 250g', quantity: 1, unit_price: '¥198.00' },
      { title: '双层玻璃茶杯', quantity: 2, unit_price: '¥30.00' },
    ],
    item: [
      { path: 'title', type: 'string', description: 'Item title', sample: '明前西湖龙井 250g' },
      { path: 'quantity', type: 'number', description: 'Quantity', sample: 1 },
      { path: 'unit_price', type: 'money', description: 'Unit price with currency', sample: '¥198.00' },
    ],
  },
];

export const shipmentVars: VariableSpec[] = [
  {
    path: 'shipment.carrier',
    type: 'string',
    description: 'Carrier name',
    sample: '顺丰速运',
    longest: '中国邮政 EMS 特快专递',
  },
  {
    path: 'shipment.tracking_number',
    type: 'string',
    description: 'Tracking number',
    sample: 'SF1234567890123',
    longest: 'SF12345678901234567',
  },
  {
    path: 'shipment.tracking_url',
    type: 'url',
    description: 'Link to the tracking page',
    sample: 'https://t.ob.example/s/Ab3dE',
  },
  {
    path: 'shipment.location',
    type: 'string',
    description: 'Latest known location',
    sample: '杭州市',
    longest: '新疆维吾尔自治区乌鲁木齐市',
  },
];

export const commonVars = [...shopVars, ...buyerVars, ...orderVars];
