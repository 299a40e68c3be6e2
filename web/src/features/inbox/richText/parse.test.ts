import { describe, expect, it } from 'vitest';
import { isSafeHref, parseRichText } from './parse';

describe('rich message text', () => {
  it('reads WhatsApp formatting at word edges only', () => {
    expect(parseRichText('Oi *Ana*, seu _pedido_ foi ~cancelado~ enviado')).toEqual([
      { kind: 'text', text: 'Oi ' },
      { kind: 'bold', children: [{ kind: 'text', text: 'Ana' }] },
      { kind: 'text', text: ', seu ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'pedido' }] },
      { kind: 'text', text: ' foi ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'cancelado' }] },
      { kind: 'text', text: ' enviado' },
    ]);
    expect(parseRichText('2*3*4 = 24 e snake_case_name')).toEqual([{ kind: 'text', text: '2*3*4 = 24 e snake_case_name' }]);
    expect(parseRichText('* não * e *sem fim')).toEqual([{ kind: 'text', text: '* não * e *sem fim' }]);
    expect(parseRichText('*negrito _e itálico_*')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'negrito ' }, { kind: 'italic', children: [{ kind: 'text', text: 'e itálico' }] }] },
    ]);
  });

  it('keeps ```mono``` blocks verbatim', () => {
    expect(parseRichText('código: ```*x* = 1``` fim')).toEqual([
      { kind: 'text', text: 'código: ' },
      { kind: 'mono', text: '*x* = 1' },
      { kind: 'text', text: ' fim' },
    ]);
    expect(parseRichText('aberto ``` sem fechar')).toEqual([{ kind: 'text', text: 'aberto ``` sem fechar' }]);
  });

  it('links http and https only, without trailing punctuation', () => {
    expect(parseRichText('Veja https://atende.app/p?id=1. Ou (http://x.io/a)!')).toEqual([
      { kind: 'text', text: 'Veja ' },
      { kind: 'link', href: 'https://atende.app/p?id=1', text: 'https://atende.app/p?id=1' },
      { kind: 'text', text: '. Ou (' },
      { kind: 'link', href: 'http://x.io/a', text: 'http://x.io/a' },
      { kind: 'text', text: ')!' },
    ]);
    const nodes = parseRichText('javascript:alert(1) data:text/html,<b>x</b> ftp://x.io vbscript:x');
    expect(nodes.every((n) => n.kind === 'text')).toBe(true);
    expect(parseRichText('*https://a.io/x*')).toEqual([{ kind: 'bold', children: [{ kind: 'link', href: 'https://a.io/x', text: 'https://a.io/x' }] }]);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref('https://ok.io')).toBe(true);
  });
});

describe('shared locations', () => {
  it('reads the coordinates the server stores, and nothing malformed', async () => {
    const { locationOf } = await import('./location');
    expect(locationOf({ location: { lat: -8.05, lng: -34.9, name: 'Marco Zero', address: '' } })).toEqual({ lat: -8.05, lng: -34.9, name: 'Marco Zero' });
    expect(locationOf({ location: { lat: '1', lng: 2 } })).toBeNull();
    expect(locationOf(null)).toBeNull();
  });
});
