/** `{"fields":["name","role"],"role":{"from":"AGENT","to":"MANAGER"}}` → `fields: name, role · role: AGENT → MANAGER`. */
export function describeDetails(details: unknown): string {
  if (details === null || details === undefined || typeof details !== 'object') return '';
  const show = (value: unknown): string => {
    if (Array.isArray(value)) return value.map(show).join(', ');
    if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if ('from' in o && 'to' in o) return `${show(o.from)} → ${show(o.to)}`;
      return Object.entries(o)
        .map(([k, v]) => `${k}: ${show(v)}`)
        .join(', ');
    }
    return String(value);
  };
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join(' · ');
}
