/** The exhaustive adapter map, credentials parsing per provider, and channel routing. */
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { adapterFor, adapters, parseCredentials, providers, servesChannel } from './index';

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
