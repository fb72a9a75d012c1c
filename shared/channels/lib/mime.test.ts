/** RFC 2047 header encoding: plain ASCII untouched, anything else in short encoded words. */
import { describe, expect, it } from 'vitest';
import { encodeHeaderText, formatMailbox } from './mime';

function decodeWords(folded: string): { words: string[]; text: string } {
  const words = folded.split('\r\n ');
  const decoder = new TextDecoder();
  const text = words
    .map((word) => /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word)![1]!)
    .map((base64) => decoder.decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))))
    .join('');
  return { words, text };
}

describe('MIME header encoding', () => {
  it('leaves printable ASCII as it is', () => {
    expect(encodeHeaderText('Your order A1001 has shipped')).toBe('Your order A1001 has shipped');
  });

  it('folds a long non-ASCII subject into encoded words of at most 75 characters that decode back', () => {
    const subject = '【茶叶小铺】您的订单 A1001 已发货，顺丰单号 SF1234567890，预计两天内送达，请保持电话畅通';
    const { words, text } = decodeWords(encodeHeaderText(subject));
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(text).toBe(subject);
  });

  it('encodes rather than passes through CR/LF and "=?" (no header injection, no false encoded words)', () => {
    for (const subject of ['Hi\r\nBcc: victim@example.com', 'looks =?like?= a word']) {
      const encoded = encodeHeaderText(subject);
      expect(encoded).not.toMatch(/[\r\n](?! )/);
      expect(decodeWords(encoded).text).toBe(subject);
    }
  });

  it('quotes ASCII display names and encodes the rest', () => {
    expect(formatMailbox({ name: 'Tea Shop', address: 'orders@tea.example' })).toBe('"Tea Shop" <orders@tea.example>');
    expect(formatMailbox({ name: '茶叶小铺', address: 'orders@tea.example' })).toBe(
      '=?UTF-8?B?6Iy25Y+25bCP6ZO6?= <orders@tea.example>',
    );
    expect(formatMailbox({ address: 'orders@tea.example' })).toBe('orders@tea.example');
  });
});
