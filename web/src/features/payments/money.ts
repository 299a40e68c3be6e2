/**
 * Money and payer documents for charges. Amounts are typed the Brazilian way
 * ("1.234,56", "150", "0,3") and sent to the API as a two-decimal string ("1234.56").
 */

/** "1.234,56" → "1234.56"; null when it is not a positive amount with at most two decimals. */
export function parseMoney(input: string): string | null {
  const s = input.replace(/\s|R\$/g, '');
  if (s === '') return null;
  let intPart: string;
  let decPart: string;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s) || /^\d+(,\d{1,2})?$/.test(s)) {
    const [i = '', d = ''] = s.split(',');
    intPart = i.replace(/\./g, '');
    decPart = d;
  } else if (/^\d+\.\d{1,2}$/.test(s)) {
    // "150.5" typed with a dot as the decimal separator.
    [intPart = '', decPart = ''] = s.split('.');
  } else {
    return null;
  }
  const cents = BigInt(intPart) * 100n + BigInt(decPart.padEnd(2, '0') || '0');
  if (cents <= 0n) return null;
  const whole = cents / 100n;
  const frac = (cents % 100n).toString().padStart(2, '0');
  return `${whole.toString()}.${frac}`;
}

const formats = new Map<string, Intl.NumberFormat>();

/** "1234.56" → "R$ 1.234,56" (pt-BR) or "R$1,234.56" (en). */
export function formatMoney(value: string, locale: string): string {
  let f = formats.get(locale);
  if (f === undefined) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' });
    formats.set(locale, f);
  }
  const n = Number(value);
  return Number.isFinite(n) ? f.format(n) : value;
}

function allSame(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

/** CPF check digits (11 digits, formatted or bare). */
export function isValidCpf(input: string): boolean {
  const d = input.replace(/\D/g, '');
  if (d.length !== 11 || allSame(d)) return false;
  const nums = Array.from(d, Number);
  for (const len of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (nums[i] ?? 0) * (len + 1 - i);
    const check = ((sum * 10) % 11) % 10;
    if (check !== nums[len]) return false;
  }
  return true;
}

/** CNPJ check digits (14 digits, formatted or bare). */
export function isValidCnpj(input: string): boolean {
  const d = input.replace(/\D/g, '');
  if (d.length !== 14 || allSame(d)) return false;
  const nums = Array.from(d, Number);
  const weights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
  for (const len of [12, 13]) {
    const w = weights.slice(13 - len);
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (nums[i] ?? 0) * (w[i] ?? 0);
    const r = sum % 11;
    const check = r < 2 ? 0 : 11 - r;
    if (check !== nums[len]) return false;
  }
  return true;
}

/** A CPF (11 digits) or CNPJ (14 digits) with valid check digits. */
export function isValidCpfCnpj(input: string): boolean {
  const len = input.replace(/\D/g, '').length;
  return len === 11 ? isValidCpf(input) : len === 14 ? isValidCnpj(input) : false;
}

/** Today (local) plus `days`, as YYYY-MM-DD. */
export function isoDay(daysFromToday = 0, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysFromToday);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${String(d.getFullYear())}-${mm}-${dd}`;
}
