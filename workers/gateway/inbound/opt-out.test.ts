/** Opt-out words and optOut(): whole-message matches only; the channel is added once per customer. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../../shared/db/client';
import { e164FromAliyun, isOptOutReply, optOut } from '../../../shared/delivery/opt-out';
import { seedCustomer, seedShop } from '../../../test/helpers/seed';
import { optedOut } from '../messages/fixtures';

describe('isOptOutReply', () => {
  it.each([
    ['R', true],
    ['t', true],
    ['TD', true],
    ['td', true],
    ['n', true],
    ['退订', true],
    ['STOP', true],
    ['stop', true],
    ['  Stop \n', true],
    ['unsubscribe', true],
    ['STOPALL', true],
    ['end', true],
    ['QUIT', true],
    ['cancel', true],
    ['ＴＤ', true],
    ['Rice please', false],
    ['please stop', false],
    ['STOP!', false],
    ['回复退订', false],
    ['退订了吗', false],
    ['Y', false],
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(isOptOutReply(text)).toBe(expected);
  });
});

describe('optOut', () => {
  it('adds the channel once to every customer of the shop with that phone, and no one else', async () => {
    const shop = await seedShop();
    const other = await seedShop();
    const a = await seedCustomer(shop.id, { phone: '+8613900000001', optedOutChannels: ['email'] });
    const b = await seedCustomer(shop.id, { phone: '+8613900000001' });
    const c = await seedCustomer(shop.id, { phone: '+8613900000002' });
    const elsewhere = await seedCustomer(other.id, { phone: '+8613900000001' });

    const target = { phone: '+8613900000001', channel: 'sms' as const };
    expect(await optOut(db(env.DB), shop.id, target)).toBe(2);
    expect(await optOut(db(env.DB), shop.id, target)).toBe(0);
    expect(await optedOut(shop.id, a.id)).toEqual(['email', 'sms']);
    expect(await optedOut(shop.id, b.id)).toEqual(['sms']);
    expect(await optedOut(shop.id, c.id)).toEqual([]);
    expect(await optedOut(other.id, elsewhere.id)).toEqual([]);
  });

  it('matches emails case-insensitively and buyer ids exactly', async () => {
    const shop = await seedShop();
    const a = await seedCustomer(shop.id, { email: 'Wang@Example.com' });
    const b = await seedCustomer(shop.id, { email: 'li@example.com' });
    expect(await optOut(db(env.DB), shop.id, { email: 'wang@example.COM', channel: 'email' })).toBe(1);
    expect(await optOut(db(env.DB), shop.id, { buyerId: b.id, channel: 'email' })).toBe(1);
    expect(await optedOut(shop.id, a.id)).toEqual(['email']);
    expect(await optedOut(shop.id, b.id)).toEqual(['email']);
    expect(await optOut(db(env.DB), shop.id, { channel: 'email' })).toBe(0);
  });
});

describe('e164FromAliyun', () => {
  it('reads mainland numbers as +86 and others as country code + number', () => {
    expect(e164FromAliyun('13800138000')).toBe('+8613800138000');
    expect(e164FromAliyun('85212345678')).toBe('+85212345678');
    expect(e164FromAliyun('abc')).toBeUndefined();
  });
});
