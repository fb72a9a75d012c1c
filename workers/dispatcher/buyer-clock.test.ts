/**
 * Quiet hours on the buyer's own clock: a Shanghai shop's review request to a buyer in New York is
 * deferred out of the buyer's night, not the shop's, and the message shows the clock it was judged by.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherEnv, plan, row, scene } from '../../test/helpers/dispatch';
import { assertProvidersClean, noNetwork } from '../../test/helpers/fake-provider';
import { processJob } from './process';

afterEach(assertProvidersClean);

// 16:00 in Shanghai is 03:00 in New York (EST, before DST starts on 2026-03-08).
const AFTERNOON_IN_SHANGHAI = new Date('2026-03-02T08:00:00Z');
const shop = { timezone: 'Asia/Shanghai' };

describe("quiet hours on the buyer's clock", () => {
  it('a New York buyer is not messaged at 3 a.m. their time: deferred to 08:00 New York', async () => {
    const s = await scene(
      {},
      { webhook: false, shop, buyer: { timezone: 'America/New_York', timezoneSource: 'phone' } },
    );
    const job = await plan(s, 'review_request', AFTERNOON_IN_SHANGHAI);
    expect((await row(job.messageId)).clock).toBe('America/New_York (phone)');
    expect(await processJob(dispatcherEnv(), job, AFTERNOON_IN_SHANGHAI, noNetwork().fetch)).toEqual({
      status: 'queued',
      reason: 'quiet_hours_deferred',
    });
    const m = await row(job.messageId);
    expect(m.dueAt!.toISOString()).toBe('2026-03-02T13:00:00.000Z'); // 08:00 EST
    expect(await processJob(dispatcherEnv(), job, m.dueAt!, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });

  it("a buyer without a known zone is judged by the shop's clock, and the message says so", async () => {
    const s = await scene({}, { webhook: false, shop, buyer: { timezone: null, timezoneSource: null } });
    const job = await plan(s, 'review_request', AFTERNOON_IN_SHANGHAI);
    expect((await row(job.messageId)).clock).toBe('Asia/Shanghai (shop)');
    expect(await processJob(dispatcherEnv(), job, AFTERNOON_IN_SHANGHAI, noNetwork().fetch)).toEqual({
      status: 'delivered',
    });
  });

  it('transactional notices are not deferred by default, whatever the clock', async () => {
    const s = await scene(
      {},
      { webhook: false, shop, buyer: { timezone: 'America/New_York', timezoneSource: 'buyer' } },
    );
    const job = await plan(s, 'shipped', AFTERNOON_IN_SHANGHAI);
    expect(await processJob(dispatcherEnv(), job, AFTERNOON_IN_SHANGHAI, noNetwork().fetch)).toEqual({
      status: 'delivered',
    });
  });
});
