/** The local provider: reports delivered under `local_<id>` and never touches the network. */
import { describe, expect, it } from 'vitest';
import { contextWith, fakeFetch, outbound } from './lib/testing';
import { local as localAdapter, type LocalCredentials } from './local';
import type { Adapter } from './types';

// Called through the interface, as the dispatcher calls it.
const local: Required<Adapter<'local', LocalCredentials>> = localAdapter;

describe('local adapter', () => {
  it('reports every channel delivered without any request', async () => {
    const fake = fakeFetch();
    for (const channel of ['sms', 'email', 'chat', 'webhook'] as const) {
      const result = await local.send(outbound({ id: `msg_${channel}`, channel }), {}, contextWith(fake));
      expect(result).toEqual({ providerMessageId: `local_msg_${channel}`, status: 'delivered' });
    }
    fake.assertDone();
  });

  it('looks a message up as delivered', async () => {
    const fake = fakeFetch();
    await expect(local.lookup(outbound(), {}, contextWith(fake))).resolves.toEqual({
      status: 'delivered',
      providerMessageId: 'local_msg_01TEST',
    });
    fake.assertDone();
  });

  it('takes an empty credentials object', () => {
    expect(local.credentials.parse({})).toEqual({});
    expect(local.credentials.safeParse(null).success).toBe(false);
  });
});
