/**
 * Narrows a message's rendered content (a union over channels) to the parts
 * one channel needs. A mismatch is a wiring bug, never a provider hiccup, so it
 * is a permanent error: retrying cannot make an SMS body into an email.
 */
import type { Channel, ChannelContent } from '../channel';
import { ProviderError, type OutboundMessage, type Provider } from '../types';

const requiredParts = {
  sms: ['body'],
  email: ['subject', 'html', 'text'],
  chat: ['markdown'],
  webhook: ['payload'],
} as const satisfies { [C in Channel]: readonly (keyof ChannelContent[C])[] };

export function partsFor<C extends Channel>(
  provider: Provider,
  message: OutboundMessage,
  channel: C,
): ChannelContent[C] {
  const rendered = message.rendered as unknown as Record<string, unknown> | null;
  for (const part of requiredParts[channel]) {
    if (typeof rendered?.[part] !== 'string') {
      throw new ProviderError('permanent', `${provider} needs rendered ${channel} content, but "${part}" is missing`);
    }
  }
  return message.rendered as ChannelContent[C];
}
