/**
 * Calling providers for one claimed message, in the shop's provider order for
 * the channel. The next provider is tried only when one answered that it is
 * down (HTTP 5xx) or has no credentials; a provider that refused is final for
 * this channel, and one that gave no answer may have sent, so nobody else tries.
 */
import { connectProvider, type ConnectedProvider } from '../../shared/channels';
import {
  ProviderError,
  type OutboundMessage,
  type Provider,
  type SendContext,
  type SendResult,
} from '../../shared/channels/types';

export type Attempt =
  | { ok: true; provider: Provider; result: SendResult; passed: string[] }
  /** `unknown`: the call got no answer from a provider that is not idempotent; it may have sent. */
  | { ok: false; error: ProviderError; provider: Provider | null; passed: string[]; unknown?: boolean };

/** The longest one provider call may take; LEASE_MS (outbox.ts) is set well above it. */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** Aborts a call that has not answered within `ms` (a thrown fetch, so transient, like a network failure). */
export function withTimeout(fetcher: typeof fetch, ms: number): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetcher(input, { ...init, signal });
  }) as typeof fetch;
}

/** The provider answered that it is down (5xx): nothing was sent, so the next provider may try. */
const isDown = (e: ProviderError) =>
  e.kind === 'transient' && e.options.status !== undefined && e.options.status >= 500;
/** No answer at all (network failure, timeout): the provider may have sent. */
const noAnswer = (e: ProviderError) => e.options.code === 'network';

/** A provider's stored settings for the message's shop, or undefined when the shop has none. */
export type CredentialsOf = (provider: Provider) => Promise<unknown>;

export async function sendThroughProviders(
  credentialsOf: CredentialsOf,
  order: Provider[],
  message: OutboundMessage,
  ctx: SendContext,
  beforeCall: (provider: Provider) => Promise<unknown>,
): Promise<Attempt> {
  const passed: string[] = [];
  // Built only when no provider was called: an Error records a stack trace, and almost every send succeeds.
  let last: { error: ProviderError; provider: Provider | null } | undefined;
  for (const [i, provider] of order.entries()) {
    const stored = provider === 'local' ? {} : await credentialsOf(provider);
    if (stored === undefined) {
      passed.push(`no_credentials:${provider}`);
      continue;
    }
    let connected: ConnectedProvider;
    try {
      connected = connectProvider(provider, stored);
    } catch {
      passed.push(`invalid_credentials:${provider}`);
      continue;
    }
    await beforeCall(provider);
    try {
      const result = await connected.send(message, ctx);
      return { ok: true, provider, result, passed };
    } catch (caught) {
      const error =
        caught instanceof ProviderError
          ? caught
          : new ProviderError('transient', `${provider}: ${String(caught)}`, { code: 'network' });
      last = { error, provider };
      // Without an answer another provider must not send too; a non-idempotent one must not be retried blindly.
      if (noAnswer(error)) return { ok: false, ...last, passed, unknown: !connected.idempotent };
      if (!isDown(error) || i === order.length - 1) return { ok: false, ...last, passed };
      passed.push(`provider_down:${provider}`);
    }
  }
  return {
    ok: false,
    ...(last ?? {
      error: new ProviderError('permanent', 'no provider with credentials for this channel', { code: 'no_provider' }),
      provider: null,
    }),
    passed,
  };
}
