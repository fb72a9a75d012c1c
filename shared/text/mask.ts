/**
 * Masking personal data for messages, pages and logs: enough is left for the
 * owner to recognise it (王**, 138****5678, w***@example.com, the start of the
 * street), too little for anyone else who sees a forwarded text or a log line (./redact.ts).
 */
import type { ShippingAddress } from '../db/schema';

const STARS = '****';
const isCjk = (text: string) => /[\u3400-\u9fff\uf900-\ufaff]/.test(text);

/** 王小明 -> 王**, 欧阳娜娜 -> 欧***, John Smith -> J*** S****. */
export function maskName(name: string | null | undefined): string {
  const text = (name ?? '').trim();
  if (!text) return '';
  if (isCjk(text)) {
    const chars = [...text];
    return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
  }
  return text
    .split(/\s+/)
    .map((word) => {
      const chars = [...word];
      return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
    })
    .join(' ');
}

/**
 * +8613812345678 -> 138****5678: the national number keeps its first three and
 * last four digits. Short or foreign numbers keep only the last four.
 */
export function maskPhone(phone: string | null | undefined): string {
  const digits = (phone ?? '').replace(/[^\d+]/g, '');
  if (!digits) return '';
  const national = digits.startsWith('+86') ? digits.slice(3) : digits.replace(/^\+/, '');
  if (digits.startsWith('+86') || (!digits.startsWith('+') && national.length === 11)) {
    if (national.length >= 8) return `${national.slice(0, 3)}${STARS}${national.slice(-4)}`;
  }
  return national.length > 4 ? `${STARS}${national.slice(-4)}` : STARS;
}

/** wangxm@example.com -> w***@example.com. */
export function maskEmail(email: string | null | undefined): string {
  const text = (email ?? '').trim();
  const at = text.lastIndexOf('@');
  if (at < 1) return text ? STARS : '';
  return `${text[0]}***${text.slice(at)}`;
}

/**
 * The street part shortened to its leading name, no numbers: 文三路 100 号 5 单元 601 室 -> 文三路****,
 * 12 Baker Street, Flat 3 -> Baker****. At most 6 characters stay.
 */
export function maskStreet(line: string | null | undefined): string {
  const text = (line ?? '').trim();
  if (!text) return '';
  const lead = text.split(/\d/)[0]!.trim();
  // A leading house number (12, 221B, 12-14) is dropped rather than kept.
  const base = [...lead].length >= 2 ? lead : text.replace(/^[\s#]*\d[\w-]*[\s,./]*/, '').split(/\d/)[0]!;
  return [...base].slice(0, 6).join('').trimEnd() + STARS;
}

export type MaskedAddress = {
  /** The region part, in full: 浙江省杭州市西湖区 / Xihu, Hangzhou, Zhejiang. */
  region: string;
  street: string;
  name: string;
  phone: string;
  /** One line for a message: region + street (name phone). */
  summary: string;
};

function summarise(address: ShippingAddress, parts: { street: string; name: string; phone: string }, locale: string) {
  const regions = [address.province, address.city, address.district].filter((p): p is string => !!p?.trim());
  const chinese = isCjk(regions.join('') + address.line1) || locale.toLowerCase().startsWith('zh');
  const region = chinese ? regions.join('') : [...regions].reverse().join(', ');
  const who = [parts.name, parts.phone].filter(Boolean).join(' ');
  const place = chinese ? `${region}${parts.street}` : [parts.street, region].filter(Boolean).join(', ');
  const summary = who ? (chinese ? `${place}（${who}）` : `${place} (${who})`) : place;
  return { region, summary };
}

/** The receiving address masked for the buyer's eyes, in the order their locale writes addresses. */
export function maskAddress(address: ShippingAddress | null | undefined, locale = 'zh-CN'): MaskedAddress | null {
  if (!address) return null;
  const parts = { street: maskStreet(address.line1), name: maskName(address.name), phone: maskPhone(address.phone) };
  return { ...parts, ...summarise(address, parts, locale) };
}

/** The same one line, unmasked: for the shop's own staff, never for messages to buyers. */
export function addressLine(address: ShippingAddress | null | undefined, locale = 'zh-CN'): string {
  if (!address) return '';
  const parts = { street: address.line1.trim(), name: address.name.trim(), phone: address.phone ?? '' };
  return summarise(address, parts, locale).summary;
}
