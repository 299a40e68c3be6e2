import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './format';

describe('formatDateTime', () => {
  it('writes pt-BR dates as 28/11/2026 14:05', () => {
    expect(formatDateTime('2026-11-28T17:05:00Z', 'pt-BR', 'America/Sao_Paulo')).toBe('28/11/2026 14:05');
    expect(formatDate('2026-11-28T17:05:00Z', 'pt-BR', 'America/Sao_Paulo')).toBe('28/11/2026');
  });

  it('uses the English order and clock for en', () => {
    expect(formatDateTime('2026-11-28T17:05:00Z', 'en', 'UTC')).toMatch(/^11\/28\/2026 0?5:05\sPM$/);
  });

  it('is empty for missing or broken values', () => {
    expect(formatDateTime(null, 'pt-BR')).toBe('');
    expect(formatDateTime('nope', 'pt-BR')).toBe('');
  });
});
