/** Consent per message class (docs/MESSAGE-CLASSES.md): what each class needs under each setting. */
import { describe, expect, it } from 'vitest';
import type { Customer } from '../db/schema';
import { lacksConsent } from './policy';
import { deliverySettings } from './settings';

const without = { marketingConsent: false } as Customer;
const withConsent = { marketingConsent: true } as Customer;

describe('consent by message class', () => {
  it('defaults: service implied, promotional required, transactional never', () => {
    const s = deliverySettings({});
    expect(s.service_consent).toBe('implied');
    expect(lacksConsent('transactional', s, without)).toBe(false);
    expect(lacksConsent('service', s, without)).toBe(false);
    expect(lacksConsent('service', s, undefined)).toBe(false);
    expect(lacksConsent('promotional', s, without)).toBe(true);
    expect(lacksConsent('promotional', s, undefined)).toBe(true);
    expect(lacksConsent('promotional', s, withConsent)).toBe(false);
  });

  it('service_consent required asks service messages for consent; promotional_consent implied lets marketing through', () => {
    const strict = deliverySettings({ service_consent: 'required' });
    expect(lacksConsent('service', strict, without)).toBe(true);
    expect(lacksConsent('service', strict, withConsent)).toBe(false);
    expect(lacksConsent('transactional', strict, without)).toBe(false);
    const loose = deliverySettings({ promotional_consent: 'implied' });
    expect(lacksConsent('promotional', loose, without)).toBe(false);
  });

  it('refuses an unknown service_consent value', () => {
    expect(() => deliverySettings({ service_consent: 'maybe' })).toThrow();
  });
});
