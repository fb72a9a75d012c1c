import { describe, expect, it } from 'vitest';
import { addressLinkToken, addressLinkUrl, readAddressLink } from '../orders/address-link';
import { fromBase64Url, toBase64Url } from './encoding';
import { signToken, verifyToken } from './signed-token';

const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const OTHER_KEY = 'ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=';
const NOW = new Date('2026-03-02T03:00:00Z');
const DAY = 86_400_000;

describe('signed tokens', () => {
  it('round-trips its fields until it expires, and not a second after', async () => {
    const token = await signToken(KEY, 'test', ['shop_1', 'order.with.dots~"quotes"'], new Date(NOW.getTime() + DAY));
    expect(token).toMatch(/^[\w-]+\.[\w-]{22}$/);
    expect(await verifyToken(KEY, 'test', token, NOW)).toEqual({
      ok: true,
      fields: ['shop_1', 'order.with.dots~"quotes"'],
      expiresAt: new Date(NOW.getTime() + DAY),
    });
    expect(await verifyToken(KEY, 'test', token, new Date(NOW.getTime() + DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a changed payload, a changed MAC, another key and another purpose', async () => {
    const token = await signToken(KEY, 'test', ['shop_1', 'o1'], new Date(NOW.getTime() + DAY));
    const [payload, mac] = token.split('.') as [string, string];
    const forged = toBase64Url(new TextEncoder().encode(JSON.stringify([Date.now() / 1000 + DAY, 'shop_2', 'o1'])));
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    for (const bad of [`${forged}.${mac}`, `${payload}.${flipped}`, `${payload}x.${mac}`]) {
      expect(await verifyToken(KEY, 'test', bad, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
    expect(await verifyToken(OTHER_KEY, 'test', token, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verifyToken(KEY, 'other-purpose', token, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('checks the MAC before trusting the expiry, and calls garbage malformed', async () => {
    const expired = await signToken(KEY, 'test', ['a'], new Date(NOW.getTime() - 1000));
    const [, mac] = expired.split('.');
    const extended = toBase64Url(new TextEncoder().encode(JSON.stringify([NOW.getTime() / 1000 + DAY, 'a'])));
    expect(await verifyToken(KEY, 'test', `${extended}.${mac}`, NOW)).toMatchObject({ reason: 'bad_signature' });
    for (const junk of ['', 'abc', 'a.b.c', 'a.%%%', '..']) {
      expect(await verifyToken(KEY, 'test', junk, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(() => fromBase64Url('not base64!')).toThrow();
  });
});

describe('address links', () => {
  it('carry shop and order for 14 days', async () => {
    const token = await addressLinkToken(KEY, { shopId: 'shop_1', orderId: '20261111-0042' }, NOW);
    expect(addressLinkUrl('https://ob.example/', token)).toBe(`https://ob.example/a/${token}`);
    expect(await readAddressLink(KEY, token, new Date(NOW.getTime() + 13 * DAY))).toMatchObject({
      ok: true,
      shopId: 'shop_1',
      orderId: '20261111-0042',
    });
    expect(await readAddressLink(KEY, token, new Date(NOW.getTime() + 14 * DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('are not valid as any other signed token, nor others as them', async () => {
    const other = await signToken(KEY, 'unsubscribe', ['shop_1', 'o1'], new Date(NOW.getTime() + DAY));
    expect(await readAddressLink(KEY, other, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('token encoding is canonical', () => {
  it("refuses a MAC whose last character's unused low bits were flipped", async () => {
    const token = await signToken(KEY, 'test', ['shop_1', 'o1'], new Date(NOW.getTime() + DAY));
    const [payload, mac] = token.split('.') as [string, string];
    // 16 bytes take 22 base64url characters; the last one carries 2 data bits and 4 unused ones.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac.at(-1)!);
    const variants = [1, 2, 4, 8, 15].map((bits) => mac.slice(0, -1) + alphabet[last ^ bits]);
    for (const variant of variants) {
      expect(await verifyToken(KEY, 'test', `${payload}.${variant}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect((await verifyToken(KEY, 'test', token, NOW)).ok).toBe(true);
  });

  it('decodes only the canonical unpadded base64url form', () => {
    expect(() => fromBase64Url('AB')).toThrow();
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]));
    expect(() => fromBase64Url('A')).toThrow();
    expect(() => fromBase64Url('AA==')).toThrow();
  });
});
