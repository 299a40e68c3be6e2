import { describe, expect, it } from 'vitest';
import { duration, percent, trend } from './format';

describe('report formats', () => {
  it('writes durations as HH:MM:SS', () => {
    expect(duration(0)).toBe('00:00:00');
    expect(duration(3725)).toBe('01:02:05');
    expect(duration(null)).toBe('—');
  });
  it('writes rates as percentages and trends against the previous period', () => {
    expect(percent(0.5, 'en')).toBe('50%');
    expect(percent(undefined, 'en')).toBe('—');
    expect(trend(120, 100)).toBe(20);
    expect(trend(80, 100)).toBe(-20);
    expect(trend(5, 0)).toBeNull();
  });
});
