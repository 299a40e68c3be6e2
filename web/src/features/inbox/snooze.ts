/** Snooze presets; "custom" takes a date-time from the user. */
export const SNOOZE_PRESETS = ['laterToday', 'tomorrow', 'nextWeek'] as const;
export type SnoozePreset = (typeof SNOOZE_PRESETS)[number];

/**
 * When a preset wakes the conversation, in the browser's time zone:
 * later today = in 3 hours; tomorrow = 9:00 tomorrow; next week = 9:00 next Monday.
 */
export function snoozeUntil(preset: SnoozePreset, now: Date): Date {
  if (preset === 'laterToday') return new Date(now.getTime() + 3 * 60 * 60 * 1000);
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 0, 0, 0);
  if (preset === 'tomorrow') {
    d.setDate(d.getDate() + 1);
  } else {
    // Days until the next Monday (a Monday counts as a week away).
    const days = ((8 - d.getDay()) % 7) || 7;
    d.setDate(d.getDate() + days);
  }
  return d;
}

/** A `datetime-local` value ("2026-11-28T18:00") read as local time; null when empty or unreadable. */
export function parseLocalDateTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, 0, 0);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `PATCH /conversations/{id}` bodies: snooze until `until`, or wake now. */
export const snoozeBody = (until: Date | null) => ({ snoozedUntil: until === null ? null : until.toISOString() });

/** Snoozed right now (the server clears `snoozedUntil` when it wakes the conversation). */
export function isSnoozed(snoozedUntil: string | null | undefined, now: Date): boolean {
  if (!snoozedUntil) return false;
  const t = Date.parse(snoozedUntil);
  return !Number.isNaN(t) && t > now.getTime();
}

/** "28/11 18:00" (pt-BR) / "11/28 6:00 PM" (en). */
export function formatSnooze(value: string, locale: string): string {
  const date = new Date(value);
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit' }).format(date);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  return `${day} ${time}`;
}
