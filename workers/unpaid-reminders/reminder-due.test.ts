import { describe, expect, it } from 'vitest';
import { reminderSettings } from '../../shared/orders/reminder-settings';
import { reminderDueTimes, type ReminderShop } from './reminder-due';

const shanghai: ReminderShop = {
  timezone: 'Asia/Shanghai',
  shippingCutoff: '18:00',
  nonShippingDays: ['sun', '2026-10-01'],
  reminderLeadMinutes: 60,
  reminderMinOrderAgeMinutes: 10,
  quietHours: { start: '21:00', end: '08:00' },
  reminders: reminderSettings({}),
};
const newYork: ReminderShop = {
  ...shanghai,
  timezone: 'America/New_York',
  shippingCutoff: '16:00',
  nonShippingDays: ['sat', 'sun'],
};

const due = (placed: string, shop: ReminderShop, autoClose?: string) =>
  reminderDueTimes(new Date(placed), autoClose ? new Date(autoClose) : null, shop);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('cutoff reminder due time', () => {
  it.each([
    // Friday 2026-11-20, Shanghai (UTC+8). Placed 09:00 local: due 17:00 local.
    ['2026-11-20T01:00:00Z', '2026-11-20T09:00:00.000Z'],
    // Placed 16:55: the lead time has passed, so the minimum age decides (17:05).
    ['2026-11-20T08:55:00Z', '2026-11-20T09:05:00.000Z'],
    // Placed 17:49: minimum age gives 17:59, one minute before the cutoff.
    ['2026-11-20T09:49:00Z', '2026-11-20T09:59:00.000Z'],
    // Placed 17:51: 18:01 would be after the cutoff, so it aims at Saturday's window.
    ['2026-11-20T09:51:00Z', '2026-11-21T09:00:00.000Z'],
    // Placed after the cutoff on Saturday: Sunday is closed, so Monday 17:00.
    ['2026-11-21T11:00:00Z', '2026-11-23T09:00:00.000Z'],
    // Placed on the holiday (Thursday 2026-10-01): Friday 17:00.
    ['2026-10-01T02:00:00Z', '2026-10-02T09:00:00.000Z'],
  ])('placed %s in Shanghai is due %s', (placed, expected) => {
    expect(iso(due(placed, shanghai).reminderDueAt)).toBe(expected);
  });

  it.each([
    // Friday 2026-10-30 10:00 EDT: due 15:00 EDT = 19:00Z.
    ['2026-10-30T14:00:00Z', '2026-10-30T19:00:00.000Z'],
    // Friday after the cutoff: next shipping day is Monday Nov 2, after the fall-back: 15:00 EST = 20:00Z.
    ['2026-10-30T21:00:00Z', '2026-11-02T20:00:00.000Z'],
  ])('placed %s in New York across DST is due %s', (placed, expected) => {
    expect(iso(due(placed, newYork).reminderDueAt)).toBe(expected);
  });

  it('moves a due time inside quiet hours to the end of the window', () => {
    const early = { ...shanghai, shippingCutoff: '09:00', reminderLeadMinutes: 120 };
    // Placed Thursday 22:00 local; Friday's cutoff is 09:00, lead gives 07:00: quiet until 08:00.
    expect(iso(due('2026-11-19T14:00:00Z', early).reminderDueAt)).toBe('2026-11-20T00:00:00.000Z');
  });

  it('is dropped, never sent after the cutoff, when quiet hours last until the cutoff every day', () => {
    // Cutoff 08:00 and quiet hours until 08:00: no shipping day leaves time for a reminder.
    const late = { ...shanghai, shippingCutoff: '08:00', reminderLeadMinutes: 30 };
    expect(due('2026-11-19T14:00:00Z', late).reminderDueAt).toBeNull();
  });

  it('waits for the end of quiet hours when that is still before the cutoff', () => {
    const shop = { ...shanghai, shippingCutoff: '09:00', reminderMinOrderAgeMinutes: 5, reminderLeadMinutes: 90 };
    // Placed Friday 07:50 local: the lead gives 07:30 and the minimum age 07:55, both quiet until 08:00.
    expect(iso(due('2026-11-19T23:50:00Z', shop).reminderDueAt)).toBe('2026-11-20T00:00:00.000Z');
  });
});

describe('pre-close reminder due time', () => {
  it('is due the lead before auto-close', () => {
    const { precloseDueAt } = due('2026-11-20T01:00:00Z', shanghai, '2026-11-21T01:00:00Z');
    expect(iso(precloseDueAt)).toBe('2026-11-21T00:00:00.000Z');
  });

  it('is dropped within the minimum gap of the cutoff reminder', () => {
    // Cutoff reminder 17:00 local (09:00Z); auto-close 18:30 gives 17:30: 30 min apart, under the 120 min gap.
    expect(due('2026-11-20T01:00:00Z', shanghai, '2026-11-20T10:30:00Z').precloseDueAt).toBeNull();
  });

  it('is dropped when disabled, or when auto-close is inside quiet hours until it has passed', () => {
    const off = { ...shanghai, reminders: reminderSettings({ preclose_enabled: false }) };
    expect(due('2026-11-20T01:00:00Z', off, '2026-11-21T01:00:00Z').precloseDueAt).toBeNull();
    // Auto-close at 23:30 local: 22:30 is quiet until 08:00, after the close.
    expect(due('2026-11-20T01:00:00Z', shanghai, '2026-11-20T15:30:00Z').precloseDueAt).toBeNull();
  });
});
