export const RANGES = ['today', '7d', '30d'] as const;
export type Range = (typeof RANGES)[number];

/** [from, to) of a preset in local days: today, or the last 7 / 30 days including today. */
export function rangeBounds(range: Range, now: Date): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  const days = range === 'today' ? 0 : range === '7d' ? 6 : 29;
  start.setDate(start.getDate() - days);
  return { from: start.toISOString(), to: end.toISOString() };
}
