import { describe, expect, it } from 'vitest';
import { countSms, withSignature } from './segments';

const zh = (n: number) => '订'.repeat(n);
const emoji = '😀'; // U+1F600, outside the BMP: a surrogate pair

describe('countSms', () => {
  it.each([
    ['empty text', '', { encoding: 'GSM-7', characters: 0, units: 0, segments: 0, perSegment: 160 }],
    ['ASCII 160', 'a'.repeat(160), { encoding: 'GSM-7', characters: 160, units: 160, segments: 1, perSegment: 160 }],
    ['ASCII 161', 'a'.repeat(161), { encoding: 'GSM-7', characters: 161, units: 161, segments: 2, perSegment: 153 }],
    ['ASCII 306', 'a'.repeat(306), { encoding: 'GSM-7', characters: 306, units: 306, segments: 2, perSegment: 153 }],
    ['ASCII 307', 'a'.repeat(307), { encoding: 'GSM-7', characters: 307, units: 307, segments: 3, perSegment: 153 }],
    ['one €', '€', { encoding: 'GSM-7', characters: 1, units: 2, segments: 1, perSegment: 160 }],
    ['159 ASCII + €', 'a'.repeat(159) + '€', { encoding: 'GSM-7', characters: 160, units: 161, segments: 2 }],
    ['Chinese 70', zh(70), { encoding: 'UCS-2', characters: 70, units: 70, segments: 1, perSegment: 70 }],
    ['Chinese 71', zh(71), { encoding: 'UCS-2', characters: 71, units: 71, segments: 2, perSegment: 67 }],
    ['Chinese 134', zh(134), { encoding: 'UCS-2', characters: 134, units: 134, segments: 2, perSegment: 67 }],
    ['Chinese 135', zh(135), { encoding: 'UCS-2', characters: 135, units: 135, segments: 3, perSegment: 67 }],
    ['a single emoji', emoji, { encoding: 'UCS-2', characters: 1, units: 2, segments: 1, perSegment: 70 }],
    ['ASCII + one emoji', 'Thanks!' + emoji, { encoding: 'UCS-2', characters: 8, units: 9, segments: 1 }],
    ['ASCII + Chinese', 'Order 1234 已发货', { encoding: 'UCS-2', characters: 14, units: 14, segments: 1 }],
    ['69 Chinese + emoji', zh(69) + emoji, { encoding: 'UCS-2', characters: 70, units: 71, segments: 2 }],
  ] as const)('%s', (_name, text, expected) => {
    expect(countSms(text)).toMatchObject(expected);
  });

  it('counts every extension character as 2 septets', () => {
    const extension = '^{}\\[]~|€\f';
    expect(countSms(extension)).toMatchObject({ encoding: 'GSM-7', characters: 10, units: 20, segments: 1 });
  });

  it('keeps GSM-7 for the basic set beyond ASCII (accents, Greek capitals, £, ¥)', () => {
    expect(countSms('Café £5 ¥9 ΔΩ à Ñ')).toMatchObject({ encoding: 'GSM-7', units: 17 });
  });

  it('falls back to UCS-2 for a character outside GSM 03.38, like a curly quote or a Chinese comma', () => {
    expect(countSms('It’s here').encoding).toBe('UCS-2');
    expect(countSms('您好，').encoding).toBe('UCS-2');
  });

  it('never splits an extension character across parts', () => {
    // 306 septets would fit 2 × 153, but the € straddles the boundary and opens a third part.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(countSms(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('never splits an emoji across parts', () => {
    const text = zh(66) + emoji + zh(66);
    expect(countSms(text)).toMatchObject({ units: 134, segments: 3 });
  });

  it('counts the signature: 66 characters of body plus 【店名】 is 70, one more is two parts', () => {
    expect(countSms(withSignature(zh(66), '店名'))).toMatchObject({ characters: 70, segments: 1 });
    expect(countSms(withSignature(zh(67), '店名'))).toMatchObject({ characters: 71, segments: 2 });
  });
});

describe('withSignature', () => {
  it.each([
    ['adds brackets at the start by default', '您的订单已发货', '茶小铺', undefined, '【茶小铺】您的订单已发货'],
    ['keeps given brackets', '您的订单已发货', '【茶小铺】', undefined, '【茶小铺】您的订单已发货'],
    ['places it at the end', '您的订单已发货', '茶小铺', 'end', '您的订单已发货【茶小铺】'],
    ['leaves the body alone without a signature', '您的订单已发货', undefined, undefined, '您的订单已发货'],
    ['leaves the body alone with an empty signature', '您的订单已发货', '  ', undefined, '您的订单已发货'],
    ['leaves the body alone with empty brackets', '您的订单已发货', '【】', undefined, '您的订单已发货'],
    [
      'does not duplicate a leading signature',
      '【茶小铺】您的订单已发货',
      '茶小铺',
      undefined,
      '【茶小铺】您的订单已发货',
    ],
    [
      'does not duplicate a trailing signature',
      '您的订单已发货【茶小铺】',
      '【茶小铺】',
      'end',
      '您的订单已发货【茶小铺】',
    ],
    [
      'does not add a second one at the other end',
      '您的订单已发货【茶小铺】',
      '茶小铺',
      'start',
      '您的订单已发货【茶小铺】',
    ],
    [
      'adds one when the body carries a different shop',
      '【别家】您的订单已发货',
      '茶小铺',
      undefined,
      '【茶小铺】【别家】您的订单已发货',
    ],
  ] as const)('%s', (_name, body, signature, position, expected) => {
    expect(withSignature(body, signature, position)).toBe(expected);
  });
});
