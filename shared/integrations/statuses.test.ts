/**
 * The one status table, value by value: every platform value the docs list, with the contract
 * status it must become (written out here, not read from the table), and unknown values ignored.
 */
import { describe, expect, it } from 'vitest';
import { aftershipStatus, kuaidi100Status, shopifyStatus, type Mapped } from './statuses';

const is = (status: string): Mapped => ({ status }) as Mapped;
const uninformative: Mapped = { ignored: 'status_uninformative' };
const unknown: Mapped = { ignored: 'status_unknown' };

describe('platform statuses onto the contract', () => {
  it.each([
    ['label_printed', is('info_received')],
    ['label_purchased', is('info_received')],
    ['confirmed', is('info_received')],
    ['carrier_picked_up', is('in_transit')],
    ['in_transit', is('in_transit')],
    ['delayed', is('in_transit')],
    ['out_for_delivery', is('out_for_delivery')],
    ['attempted_delivery', is('attempt_failed')],
    ['ready_for_pickup', is('available_for_pickup')],
    ['picked_up', is('delivered')],
    ['delivered', is('delivered')],
    ['failure', is('exception')],
    ['lost_in_space', unknown],
    [null, unknown],
    ['constructor', unknown],
  ])('Shopify %s', (value, expected) => expect(shopifyStatus(value)).toEqual(expected));

  it.each([
    ['0', '在途', is('in_transit')],
    ['1001', '到达派件城市', is('arrived_in_city')],
    ['1002', '干线', is('in_transit')],
    ['1003', '转递', is('in_transit')],
    ['1', '揽收', is('in_transit')],
    ['101', '已下单', is('info_received')],
    ['102', '待揽收', is('info_received')],
    ['103', '已揽收', is('in_transit')],
    ['2', '疑难', is('exception')],
    ['201', '超时未签收', is('exception')],
    ['202', '超时未更新', is('exception')],
    ['203', '拒收', is('attempt_failed')],
    ['204', '派件异常', is('attempt_failed')],
    ['205', '柜或驿站超时未取', is('available_for_pickup')],
    ['206', '无法联系', is('attempt_failed')],
    ['207', '超区', is('exception')],
    ['208', '滞留', is('exception')],
    ['209', '破损', is('exception')],
    ['210', '销单', is('exception')],
    ['3', '签收', is('delivered')],
    ['301', '本人签收', is('delivered')],
    ['302', '派件异常后签收', is('delivered')],
    ['303', '代签', is('delivered')],
    ['304', '投柜或站签收', is('delivered')],
    ['4', '退签', is('returned')],
    ['401', '已销单', is('returned')],
    ['5', '派件', is('out_for_delivery')],
    ['501', '投柜或驿站', is('available_for_pickup')],
    ['6', '退回', is('returned')],
    ['7', '转投', is('in_transit')],
    ['8', '清关', is('in_transit')],
    ['10', '待清关', is('in_transit')],
    ['11', '清关中', is('in_transit')],
    ['12', '已清关', is('in_transit')],
    ['13', '清关异常', is('exception')],
    ['14', '拒签', is('attempt_failed')],
    ['99', '(none)', unknown],
    ['toString', '(prototype)', unknown],
  ])('Kuaidi100 state %s (%s)', (value, _name, expected) => expect(kuaidi100Status(value)).toEqual(expected));

  it('reads a numeric Kuaidi100 state like its string', () => {
    expect(kuaidi100Status(5)).toEqual(is('out_for_delivery'));
  });

  it.each([
    ['Pending', undefined, uninformative],
    ['InfoReceived', undefined, is('info_received')],
    ['InTransit', 'InTransit_001', is('in_transit')],
    ['OutForDelivery', 'OutForDelivery_001', is('out_for_delivery')],
    ['AttemptFail', 'AttemptFail_001', is('attempt_failed')],
    ['Delivered', 'Delivered_001', is('delivered')],
    ['AvailableForPickup', 'AvailableForPickup_001', is('available_for_pickup')],
    ['Exception', 'Exception_001', is('exception')],
    ['Exception', 'Exception_010', is('returned')],
    ['Exception', 'Exception_011', is('returned')],
    ['Expired', 'Expired_001', is('exception')],
    ['Teleported', undefined, unknown],
    ['__proto__', undefined, unknown],
  ])('AfterShip %s / %s', (tag, subtag, expected) => expect(aftershipStatus(tag, subtag)).toEqual(expected));
});
