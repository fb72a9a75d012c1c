/**
 * The channel types and the content each carries: the Liquid source of a
 * template's parts and the rendered text of a message have the same shape per
 * channel. They live here, with the adapters that consume them, so that
 * neither the adapters nor the templates depend on the database schema; the
 * schema imports them for its column types.
 */
export const channels = ['sms', 'email', 'chat', 'webhook'] as const;
export type Channel = (typeof channels)[number];

/** The parts of one message per channel (template source or rendered text). */
export type ChannelContent = {
  sms: { body: string };
  email: { subject: string; html: string; text: string };
  chat: { markdown: string };
  webhook: { payload: string };
};
export type TemplateContent = ChannelContent[Channel];
