/** The exhaustive adapter map, credentials parsing per provider, and channel routing. */
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  adapterFor,
  adapters,
  canLookUp,
  connectProvider,
  isProvider,
  parseCredentials,
  providers,
  servesChannel,
} from './index';
import type { OutboundMessage } from './types';

describe('adapter map', () => {
  it('has exactly one adapter per provider, each under its own key', () => {
    expect(Object.keys(adapters).sort()).toEqual([...providers].sort());
    for (const provider of providers) {
      expect(adapterFor(provider).provider).toBe(provider);
    }
  });

  it('parses credentials with the provider schema', () => {
    expect(parseCredentials('local', {})).toEqual({});
    expect(parseCredentials('wecom', { key: '693a91f6-7d0c-4bc4-97a0-0ec2a1fa5aaa', extra: 'dropped' })).toEqual({
      key: '693a91f6-7d0c-4bc4-97a0-0ec2a1fa5aaa',
    });
  });

  it('throws the ZodError, with paths, for invalid credentials', () => {
    let caught: unknown;
    try {
      parseCredentials('resend', { apiKey: 're_123' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ZodError);
    expect((caught as ZodError).issues.map((issue) => issue.path)).toEqual([['from']]);
  });

  it('routes each provider to its channel, and local to every channel', () => {
    expect(servesChannel('resend', 'email')).toBe(true);
    expect(servesChannel('resend', 'sms')).toBe(false);
    expect(servesChannel('wecom', 'chat')).toBe(true);
    expect(servesChannel('webhook', 'webhook')).toBe(true);
    for (const channel of ['sms', 'email', 'chat', 'webhook'] as const)
      expect(servesChannel('local', channel)).toBe(true);
  });
});

describe('connectProvider: the one typed call into an adapter', () => {
  const message: OutboundMessage = {
    id: 'msg_connect_1',
    shopId: 'shop_1',
    orderId: 'o1',
    kind: 'shipped',
    transactional: true,
    channel: 'sms',
    recipient: '+8613800138000',
    rendered: { body: '您的包裹已发出' },
    data: {},
  };
  const ctx = { fetch: (() => Promise.reject(new Error('no network'))) as typeof fetch, now: () => new Date() };

  it('binds validated credentials: send and lookup reach the adapter', async () => {
    const local = connectProvider('local', {});
    expect(local).toMatchObject({ provider: 'local', idempotent: true });
    expect(await local.send(message, ctx)).toEqual({ providerMessageId: 'local_msg_connect_1', status: 'delivered' });
    expect(await local.lookup!(message, ctx)).toEqual({
      providerMessageId: 'local_msg_connect_1',
      status: 'delivered',
    });
  });

  it('throws the ZodError for invalid credentials, before anything is sent', () => {
    expect(() => connectProvider('resend', { apiKey: 're_123' })).toThrow(ZodError);
  });

  it('says which providers can look a send up and which are idempotent, from the adapters', () => {
    const withLookup = providers.filter(canLookUp).sort();
    expect(withLookup).toEqual(['aliyun_sms', 'local', 'resend', 'twilio']);
    const webhook = connectProvider('webhook', {
      url: 'https://shop.example/hooks',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(webhook).toMatchObject({ idempotent: true, lookup: undefined });
  });

  it('recognises stored provider names', () => {
    expect(isProvider('aliyun_sms')).toBe(true);
    expect(isProvider('carrier_pigeon')).toBe(false);
    expect(isProvider(null)).toBe(false);
  });
});
