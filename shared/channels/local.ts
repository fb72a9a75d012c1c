/**
 * The local outbox provider, the default in development: nothing leaves the
 * machine. The dispatcher has already stored the rendered message on its row,
 * so this adapter only reports it delivered under a predictable id. It serves
 * every channel; see `servesChannel` in ./index.ts for how routing asks.
 */
import { z } from 'zod';
import type { Adapter } from './types';

export const localCredentials = z.object({});
export type LocalCredentials = z.infer<typeof localCredentials>;

const localId = (messageId: string) => `local_${messageId}`;

export const local = {
  provider: 'local',
  // The interface has one channel per adapter; `servesChannel` treats local as serving all four.
  channel: 'sms',
  idempotent: true,
  credentials: localCredentials,
  async send(message) {
    return { providerMessageId: localId(message.id), status: 'delivered' };
  },
  async lookup(message) {
    return { status: 'delivered', providerMessageId: localId(message.id) };
  },
} satisfies Adapter<'local', LocalCredentials>;
