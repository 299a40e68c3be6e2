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
