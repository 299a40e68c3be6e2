const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'date' | 'time', locale: string, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timeZone ?? ''}`;
  let f = formats.get(key);
  if (f === undefined) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { hour: '2-digit', minute: '2-digit' };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Date and time the way people read them locally: "28/11/2026 14:05" in pt-BR,
 * "11/28/2026 02:05 PM" in English. Date and time are joined with a plain space
 * (ICU's default inserts a comma). Empty for a missing or unreadable value.
 */
export function formatDateTime(value: string | Date | null | undefined, locale: string, timeZone?: string): string {
  const date = toDate(value);
  if (date === null) return '';
  return `${formatter('date', locale, timeZone).format(date)} ${formatter('time', locale, timeZone).format(date)}`;
}

/** Just the date: "28/11/2026". */
export function formatDate(value: string | Date | null | undefined, locale: string, timeZone?: string): string {
  const date = toDate(value);
  return date === null ? '' : formatter('date', locale, timeZone).format(date);
}

/** Just the time: "14:05". */
export function formatTime(value: string | Date | null | undefined, locale: string, timeZone?: string): string {
  const date = toDate(value);
  return date === null ? '' : formatter('time', locale, timeZone).format(date);
}

/** A local calendar day key ("2026-11-28") for grouping messages by day. */
export function dayKey(value: string | Date, timeZone?: string): string {
  const date = toDate(value);
  if (date === null) return '';
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(date);
}

export type RelativeTime =
  | { kind: 'now' }
  | { kind: 'minutes'; count: number }
  | { kind: 'hours'; count: number }
  | { kind: 'yesterday' }
  | { kind: 'date'; text: string };

/**
 * How long ago, in the buckets a conversation list shows: now, minutes, hours (same
 * day or under 12 h), yesterday, then the date. The caller translates the bucket
 * ("há 3 min" / "3 min ago").
 */
export function relativeTime(value: string | Date | null | undefined, now: Date, locale: string, timeZone?: string): RelativeTime | null {
  const date = toDate(value);
  if (date === null) return null;
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return { kind: 'now' };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return { kind: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  const today = dayKey(now, timeZone);
  if (dayKey(date, timeZone) === today || hours < 12) return { kind: 'hours', count: hours };
  const yesterday = dayKey(new Date(now.getTime() - 86_400_000), timeZone);
  if (dayKey(date, timeZone) === yesterday) return { kind: 'yesterday' };
  return { kind: 'date', text: formatter('date', locale, timeZone).format(date) };
}

/** "1,5 MB" / "1.5 MB". */
export function formatBytes(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i] ?? 'B'}`;
}

/** A day as a heading: "28 de novembro de 2026" / "November 28, 2026". */
export function formatLongDate(value: string | Date | null | undefined, locale: string, timeZone?: string): string {
  const date = toDate(value);
  if (date === null) return '';
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(date);
}
