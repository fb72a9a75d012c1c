/**
 * Email addresses as the email adapters need them: the shop's `from` setting
 * ("orders@shop.example" or "Shop Name <orders@shop.example>"), a validated
 * recipient, and the RFC 8058 one-click unsubscribe headers that every
 * non-transactional email carries and no transactional one does.
 */
import { z } from 'zod';
import { ProviderError, type OutboundMessage, type Provider } from '../types';

export type Mailbox = { name?: string; address: string };

/** Deliberately narrow: no quoted local parts, comments or groups, and never CR/LF. */
const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\.]+(?:\.[^\s@<>()[\],;:"\\.]+)+$/;

export function parseMailbox(text: string): Mailbox | null {
  const trimmed = text.trim();
  const named = /^(.*?)\s*<([^<>]*)>$/.exec(trimmed);
  const address = named ? named[2]! : trimmed;
  const name = named ? named[1]!.replace(/^"(.*)"$/, '$1').trim() : '';
  if (!ADDRESS.test(address) || /[\u0000-\u001f"\\<>]/.test(name)) return null;
  return name ? { name, address } : { address };
}

export const mailboxSchema = z
  .string()
  .refine((text) => parseMailbox(text) !== null, 'expected "orders@shop.example" or "Shop Name <orders@shop.example>"');

/** The recipient of an email message; anything else is a planning bug, hence permanent. */
export function emailRecipient(provider: Provider, message: OutboundMessage): string {
  if (!ADDRESS.test(message.recipient)) {
    throw new ProviderError('permanent', `${provider} cannot send to "${message.recipient}": not an email address`);
  }
  return message.recipient;
}

/**
 * `List-Unsubscribe` with the message's one-click URL, and `List-Unsubscribe-Post`
 * when that URL is HTTPS (RFC 8058 section 3.1 allows the one-click signal only
 * then). Transactional mail gets neither.
 */
export function unsubscribeHeaders(provider: Provider, message: OutboundMessage): Record<string, string> {
  if (message.transactional || !message.unsubscribeUrl) return {};
  let url: URL;
  try {
    // The WHATWG serialisation percent-encodes "<", ">" and drops CR/LF, so the header cannot be broken out of.
    url = new URL(message.unsubscribeUrl);
  } catch {
    throw new ProviderError('permanent', `${provider}: the unsubscribe URL "${message.unsubscribeUrl}" is not a URL`);
  }
  const headers: Record<string, string> = { 'List-Unsubscribe': `<${url.href}>` };
  if (url.protocol === 'https:') headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}
