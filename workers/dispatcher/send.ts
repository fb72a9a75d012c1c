/**
 * Calling providers for one claimed message, in the shop's provider order for
 * the channel. The next provider is tried only when one is down (HTTP 5xx or a
 * network failure before any answer) or has no credentials; a provider that
 * answered and refused is final for this channel.
 */
import { adapters, parseCredentials } from '../../shared/channels';
import {
  ProviderError,
  type OutboundMessage,
  type Provider,
  type SendContext,
  type SendResult,
} from '../../shared/channels/types';
import type { Db } from '../../shared/db/client';
import { loadCredentials } from '../../shared/delivery/credentials';

export type Attempt =
  | { ok: true; provider: Provider; result: SendResult; passed: string[] }
  | { ok: false; error: ProviderError; provider: Provider | null; passed: string[] };

const isDown = (e: ProviderError) =>
  e.kind === 'transient' && (e.options.status === undefined || e.options.status >= 500);

export async function sendThroughProviders(
  db: Db,
  encryptionKey: string | undefined,
  order: Provider[],
  message: OutboundMessage,
  ctx: SendContext,
  beforeCall: (provider: Provider) => Promise<unknown>,
): Promise<Attempt> {
  const passed: string[] = [];
  let last: { error: ProviderError; provider: Provider | null } = {
    error: new ProviderError('permanent', 'no provider with credentials for this channel', { code: 'no_provider' }),
    provider: null,
  };
  for (const [i, provider] of order.entries()) {
    const adapter = adapters[provider];
    const stored = provider === 'local' ? {} : await loadCredentials(db, encryptionKey, message.shopId, provider);
    if (stored === undefined) {
      passed.push(`no_credentials:${provider}`);
      continue;
    }
    let credentials: unknown;
    try {
      credentials = parseCredentials(provider, stored);
    } catch {
      passed.push(`invalid_credentials:${provider}`);
      continue;
    }
    await beforeCall(provider);
    try {
      const result = await (adapter.send as (m: OutboundMessage, c: unknown, x: SendContext) => Promise<SendResult>)(
        message,
        credentials,
        ctx,
      );
      return { ok: true, provider, result, passed };
    } catch (caught) {
      const error =
        caught instanceof ProviderError ? caught : new ProviderError('transient', `${provider}: ${String(caught)}`);
      last = { error, provider };
      if (!isDown(error) || i === order.length - 1) return { ok: false, ...last, passed };
      passed.push(`provider_down:${provider}`);
    }
  }
  return { ok: false, ...last, passed };
}
