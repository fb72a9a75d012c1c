import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages } from '../../shared/db/schema';
import { DAY, dispatcherEnv, row } from '../../test/helpers/dispatch';
import { noNetwork } from '../../test/helpers/fake-provider';
import { seedShop } from '../../test/helpers/seed';
import { processJob } from './process';

describe('template test sends', () => {
  it('are sent to the staff recipient without buyer rules, through the shop providers', async () => {
    const shop = await seedShop();
    const id = 'msg_testsend_1';
    // A promotional kind with no buyer: for a buyer this would be skipped as no_consent.
    await db(env.DB)
      .insert(messages)
      .values({
        id,
        shopId: shop.id,
        orderId: 'test_abc',
        purpose: 'test',
        kind: 'unpaid_reminder',
        channel: 'sms',
        recipient: '+8613800138000',
        status: 'queued',
        rendered: { body: '【茶小铺】测试' },
        data: {},
        dueAt: DAY,
        createdAt: DAY,
        updatedAt: DAY,
      });
    const outcome = await processJob(dispatcherEnv(), { shopId: shop.id, messageId: id }, DAY, noNetwork().fetch);
    expect(outcome).toMatchObject({ status: 'delivered' });
    expect(await row(id)).toMatchObject({ status: 'delivered', provider: 'local', reason: null });
  });

  it('are recognised by their purpose, not their order id: a flow message for order test_… gets buyer rules', async () => {
    const shop = await seedShop({ delivery: { service_consent: 'required' } });
    const id = 'msg_not_a_test_send';
    await db(env.DB)
      .insert(messages)
      .values({
        id,
        shopId: shop.id,
        orderId: 'test_lookalike',
        kind: 'unpaid_reminder',
        channel: 'sms',
        recipient: '+8613800138000',
        status: 'queued',
        rendered: { body: '【茶小铺】测试' },
        data: {},
        dueAt: DAY,
        createdAt: DAY,
        updatedAt: DAY,
      });
    const outcome = await processJob(dispatcherEnv(), { shopId: shop.id, messageId: id }, DAY, noNetwork().fetch);
    // A service kind without the buyer's consent, in a shop that requires it: the buyer policy applied.
    expect(outcome).toEqual({ status: 'skipped', reason: 'no_consent' });
    expect(await row(id)).toMatchObject({ status: 'skipped', reason: 'no_consent', purpose: 'flow' });
  });
});
