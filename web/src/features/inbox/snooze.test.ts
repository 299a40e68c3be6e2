import { describe, expect, it } from 'vitest';
import { formatSnooze, isSnoozed, parseLocalDateTime, snoozeBody, snoozeUntil } from './snooze';

// Tests run in America/Sao_Paulo (UTC−3). Saturday 28/11/2026 15:00 local.
const NOW = new Date('2026-11-28T18:00:00Z');

describe('snooze', () => {
  it('computes the presets in local time', () => {
    expect(snoozeUntil('laterToday', NOW).toISOString()).toBe('2026-11-28T21:00:00.000Z');
    expect(snoozeUntil('tomorrow', NOW).toISOString()).toBe('2026-11-29T12:00:00.000Z');
    // Next Monday 9:00 local.
    expect(snoozeUntil('nextWeek', NOW).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    // On a Monday, "next week" is a week later.
    expect(snoozeUntil('nextWeek', new Date('2026-11-30T15:00:00Z')).toISOString()).toBe('2026-12-07T12:00:00.000Z');
  });

  it('builds the PATCH body: an ISO instant, or null to wake up', () => {
    expect(snoozeBody(new Date('2026-11-28T21:00:00Z'))).toEqual({ snoozedUntil: '2026-11-28T21:00:00.000Z' });
    expect(snoozeBody(null)).toEqual({ snoozedUntil: null });
  });

  it('reads datetime-local values as local time and rejects junk', () => {
    expect(parseLocalDateTime('2026-11-28T18:00')?.toISOString()).toBe('2026-11-28T21:00:00.000Z');
    expect(parseLocalDateTime('')).toBeNull();
    expect(parseLocalDateTime('amanhã')).toBeNull();
  });

  it('is snoozed only until the time passes, and shows day/month and time', () => {
    expect(isSnoozed('2026-11-28T21:00:00Z', NOW)).toBe(true);
    expect(isSnoozed('2026-11-28T17:00:00Z', NOW)).toBe(false);
    expect(isSnoozed(null, NOW)).toBe(false);
    expect(formatSnooze('2026-11-28T21:00:00Z', 'pt-BR')).toBe('28/11 18:00');
  });
});
