/**
 * The one table of platform shipment statuses onto the contract's `shipment.updated` statuses
 * (docs/INTEGRATIONS.md shows it as a table). `null` marks a value that is known but says nothing
 * about where the parcel is; a value in neither column is unknown. Both are recorded and ignored
 * by the receivers, never an error. Lookups read own properties only.
 */
import type { ShipmentStatus } from '../db/schema';
import { ownValue } from '../lang/own';

type Table = Readonly<Record<string, ShipmentStatus | null>>;

/** Shopify `shipment_status` (fulfillments) and fulfillment event `status`. */
export const shopifyStatuses: Table = {
  label_printed: 'info_received',
  label_purchased: 'info_received',
  confirmed: 'info_received',
  carrier_picked_up: 'in_transit',
  in_transit: 'in_transit',
  delayed: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  attempted_delivery: 'attempt_failed',
  ready_for_pickup: 'available_for_pickup',
  picked_up: 'delivered',
  delivered: 'delivered',
  failure: 'exception',
};

/**
 * Kuaidi100 push `state` codes: the basic ones (0-14) and, with `resultv2`, the advanced sub-states
 * (e.g. 1001 到达派件城市, 501 投柜或驿站). Customs states keep the parcel in transit unless they fail.
 */
export const kuaidi100States: Table = {
  '0': 'in_transit', // 在途
  '1001': 'arrived_in_city', // 到达派件城市
  '1002': 'in_transit', // 干线
  '1003': 'in_transit', // 转递
  '1': 'in_transit', // 揽收
  '101': 'info_received', // 已下单
  '102': 'info_received', // 待揽收
  '103': 'in_transit', // 已揽收
  '2': 'exception', // 疑难
  '201': 'exception', // 超时未签收
  '202': 'exception', // 超时未更新
  '203': 'attempt_failed', // 拒收
  '204': 'attempt_failed', // 派件异常
  '205': 'available_for_pickup', // 柜或驿站超时未取
  '206': 'attempt_failed', // 无法联系
  '207': 'exception', // 超区
  '208': 'exception', // 滞留
  '209': 'exception', // 破损
  '210': 'exception', // 销单
  '3': 'delivered', // 签收
  '301': 'delivered', // 本人签收
  '302': 'delivered', // 派件异常后签收
  '303': 'delivered', // 代签
  '304': 'delivered', // 投柜或站签收
  '4': 'returned', // 退签
  '401': 'returned', // 已销单
  '5': 'out_for_delivery', // 派件
  '501': 'available_for_pickup', // 投柜或驿站
  '6': 'returned', // 退回
  '7': 'in_transit', // 转投
  '8': 'in_transit', // 清关
  '10': 'in_transit', // 待清关
  '11': 'in_transit', // 清关中
  '12': 'in_transit', // 已清关
  '13': 'exception', // 清关异常
  '14': 'attempt_failed', // 拒签
};

/** AfterShip `msg.tag`. `Pending` means the carrier has told nothing yet. */
export const aftershipTags: Table = {
  Pending: null,
  InfoReceived: 'info_received',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AttemptFail: 'attempt_failed',
  Delivered: 'delivered',
  AvailableForPickup: 'available_for_pickup',
  Exception: 'exception',
  Expired: 'exception',
};

/** AfterShip sub-statuses that say more than their tag: the parcel is going back to the sender. */
export const aftershipSubtags: Table = {
  Exception_010: 'returned', // returning to shipper
  Exception_011: 'returned', // returned to shipper
};

export type Mapped = { status: ShipmentStatus } | { ignored: 'status_uninformative' | 'status_unknown' };

function lookup(table: Table, value: unknown): Mapped {
  const key = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  const hit = ownValue(table, key);
  if (hit === undefined) return { ignored: 'status_unknown' };
  return hit === null ? { ignored: 'status_uninformative' } : { status: hit };
}

export const shopifyStatus = (value: unknown) => lookup(shopifyStatuses, value);
export const kuaidi100Status = (value: unknown) => lookup(kuaidi100States, value);
export function aftershipStatus(tag: unknown, subtag?: unknown): Mapped {
  const sub = lookup(aftershipSubtags, subtag);
  return 'status' in sub ? sub : lookup(aftershipTags, tag);
}
