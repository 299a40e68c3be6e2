import { describe, expect, it } from 'vitest';
import { formatMoney, isValidCnpj, isValidCpf, isValidCpfCnpj, parseMoney } from './money';

describe('parseMoney', () => {
  it('reads Brazilian amounts into two-decimal strings', () => {
    expect(parseMoney('1.234,56')).toBe('1234.56');
    expect(parseMoney('R$ 1.234,56')).toBe('1234.56');
    expect(parseMoney('150')).toBe('150.00');
    expect(parseMoney('0,3')).toBe('0.30');
    expect(parseMoney('1234,5')).toBe('1234.50');
    expect(parseMoney('1.234.567,89')).toBe('1234567.89');
    expect(parseMoney('150.5')).toBe('150.50');
  });
  it('refuses what is not a positive amount with at most two decimals', () => {
    for (const bad of ['', '0', '0,00', '-5', '1,234', '12.34.5', 'abc', '1.23,4', '1,2,3']) expect(parseMoney(bad)).toBeNull();
  });
  it('formats as BRL', () => {
    expect(formatMoney('1234.56', 'pt-BR').replace(/\s/g, ' ')).toBe('R$ 1.234,56');
  });
});

describe('CPF / CNPJ check digits', () => {
  it('accepts valid documents, formatted or bare', () => {
    expect(isValidCpf('123.456.789-09')).toBe(true);
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(isValidCpfCnpj('11222333000181')).toBe(true);
  });
  it('refuses wrong digits, repeated digits and wrong lengths', () => {
    expect(isValidCpf('123.456.789-00')).toBe(false);
    expect(isValidCpf('111.111.111-11')).toBe(false);
    expect(isValidCnpj('11.222.333/0001-80')).toBe(false);
    expect(isValidCpfCnpj('1234')).toBe(false);
  });
});
