import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RichText } from './RichText';

describe('<RichText>', () => {
  it('renders formatting and safe links, and never a javascript: link', () => {
    const { container } = render(
      <p>
        <RichText text={'*Pedido* _pronto_: https://loja.example/p/1 ~não~ javascript:alert(1) <b>oi</b> ```x=1```'} />
      </p>,
    );
    expect(container.querySelector('strong')?.textContent).toBe('Pedido');
    expect(container.querySelector('em')?.textContent).toBe('pronto');
    expect(container.querySelector('s')?.textContent).toBe('não');
    expect(container.querySelector('code')?.textContent).toBe('x=1');
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute('href', 'https://loja.example/p/1');
    expect(links[0]).toHaveAttribute('rel', 'noopener noreferrer');
    expect(links[0]).toHaveAttribute('target', '_blank');
    // Markup in a message is text, not HTML.
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('javascript:alert(1) <b>oi</b>');
  });
});
