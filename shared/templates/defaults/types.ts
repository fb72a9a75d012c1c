/** The built-in default text of one message kind in one locale, before it is shaped per channel (see index.ts). */
export type KindTexts = {
  /** SMS text without the 【signature】, which the engine adds. */
  sms: string;
  /** Email subject; also the bold title line of chat messages. */
  subject: string;
  /** A slightly fuller plain text, one short line per `\n`, used for email and chat. */
  body: string;
};

/** Joins the lines of a body; keeps the defaults readable one line per string. */
export const lines = (...parts: string[]) => parts.join('\n');
