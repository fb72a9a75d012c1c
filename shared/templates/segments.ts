/**
 * SMS length and cost: which encoding a text needs and how many billed segments it takes,
 * plus the 【signature】 convention of China SMS. Pure and dependency-free, so the console
 * preview, the template lint and the SMS adapters all agree on what a text costs.
 *
 * GSM-7 (GSM 03.38 basic set + extension table): 160 septets in a single SMS, 153 per part of a
 * multipart one. Anything else is sent as UCS-2: 70 UTF-16 units single, 67 per part. That is the
 * China practice in PRODUCT.md: one SMS holds 70 Chinese characters including the 【signature】,
 * longer texts are split into 67-character parts, each billed.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export type SmsCount = {
  encoding: SmsEncoding;
  /** What a person counts: Unicode code points (an emoji is 1, a Chinese character is 1). */
  characters: number;
  /** What the carrier bills: septets for GSM-7 (extension characters are 2), UTF-16 units for UCS-2. */
  units: number;
  /** Billed SMS parts; 0 for an empty text. */
  segments: number;
  /** Capacity of each part in `units`: the single-SMS limit when `segments <= 1`, else the multipart one. */
  perSegment: number;
};

/** Units per SMS: `single` when the text fits one message, `multipart` per part otherwise. */
export const smsLimits = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const satisfies Record<SmsEncoding, { single: number; multipart: number }>;

/** GSM 03.38 basic character set, without the ESC code (0x1B) that introduces the extension table. */
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** GSM 03.38 extension table: each is sent as ESC + code, so it costs 2 septets. */
const gsmExtension = new Set('\f^{}\\[]~|€');

/**
 * Counts how a text goes out as SMS.
 *
 * Multipart texts are packed part by part the way encoders do it: a 2-septet extension character
 * or a 2-unit surrogate pair (emoji) is never split across parts, so it may open a new part early.
 */
export function countSms(text: string): SmsCount {
  const chars = [...text];
  const gsm = chars.every((c) => gsmBasic.has(c) || gsmExtension.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  // `c.length` is the UTF-16 length of one code point: 2 for characters outside the BMP.
  const costs = chars.map((c) => (gsm ? (gsmExtension.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((total, cost) => total + cost, 0);
  const { single, multipart } = smsLimits[encoding];

  if (units <= single) {
    return { encoding, characters: chars.length, units, segments: units === 0 ? 0 : 1, perSegment: single };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multipart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, characters: chars.length, units, segments, perSegment: multipart };
}

/**
 * Puts the sender signature on an SMS body as `【name】`, at the start (China default) or the end.
 *
 * The signature may be given with or without its brackets. An empty or missing signature leaves
 * the body unchanged, and so does a body that already starts or ends with the signature (either
 * end, so a signature is never carried twice).
 */
export function withSignature(
  body: string,
  signature: string | undefined,
  position: 'start' | 'end' = 'start',
): string {
  const name = (signature ?? '').trim().replace(/^【/, '').replace(/】$/, '').trim();
  if (name === '') return body;
  const tag = `【${name}】`;
  if (body.trimStart().startsWith(tag) || body.trimEnd().endsWith(tag)) return body;
  return position === 'start' ? tag + body : body + tag;
}
