import { describe, expect, it } from 'vitest';
import { loginWithNext, safeNext } from './paths';

describe('safeNext', () => {
  it('keeps same-origin paths and rejects everything else', () => {
    expect(safeNext('/inbox?c=1')).toBe('/inbox?c=1');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });

  it('builds the login link', () => {
    expect(loginWithNext('/')).toBe('/login');
    expect(loginWithNext('/inbox')).toBe('/login?next=%2Finbox');
  });
});
