import { describe, expect, it } from 'vitest';
import { DAY, dispatcherEnv, plan, row, scene } from '../../test/helpers/dispatch';
import { noNetwork } from '../../test/helpers/fake-provider';
import { seedCredentials } from '../../test/helpers/seed';
import { processJob } from './process';

describe('Cloudflare Email through the send_email binding', () => {
  it('sends a message with the real binding of the dispatcher worker', async () => {
    const s = await scene({ default_route: ['email'], providers: { email: ['cloudflare_email'] } });
    await seedCredentials(s.shop.id, 'cloudflare_email', 'email', { from: 'orders@tea.example' });
    const job = await plan(s, 'shipped', DAY);
    const outcome = await processJob(dispatcherEnv(), job, DAY, noNetwork().fetch);
    expect(outcome.status).toMatch(/^(sent|delivered)$/);
    expect(await row(job.messageId)).toMatchObject({
      provider: 'cloudflare_email',
      channel: 'email',
      recipient: s.buyer.email,
    });
  });
});
