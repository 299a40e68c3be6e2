import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_STORAGE_KEY } from '@/lib/i18n';
import { SESSION, apiError, jsonResponse, mockFetch, renderApp } from '@/test/utils';

async function fillAndSubmit(values: { workspace?: string; email?: string; password?: string }) {
  const user = userEvent.setup();
  if (values.workspace !== undefined) await user.type(screen.getByLabelText('Espaço de trabalho'), values.workspace);
  if (values.email !== undefined) await user.type(screen.getByLabelText('E-mail'), values.email);
  if (values.password !== undefined) await user.type(screen.getByLabelText('Senha'), values.password);
  await user.click(screen.getByRole('button', { name: 'Entrar' }));
  return user;
}

describe('login page', () => {
  it('shows validation errors and does not call the API when fields are empty or wrong', async () => {
    const fetch = mockFetch(() => jsonResponse({}));
    renderApp('/login');

    await fillAndSubmit({});
    expect(await screen.findAllByText('Campo obrigatório.')).toHaveLength(3);
    expect(screen.getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');

    await fillAndSubmit({ workspace: 'acme', email: 'not-an-email', password: 'x' });
    expect(await screen.findByText('Informe um e-mail válido.')).toBeInTheDocument();
    expect(screen.queryByText('Campo obrigatório.')).not.toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('signs in with the right body and goes back to the page the user came from', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fetch = mockFetch(async (url) => {
      if (url.endsWith('/api/v1/auth/login')) {
        await gate;
        return jsonResponse({ token: 't0k3n', ...SESSION });
      }
      return apiError(404, 'not_found');
    });
    const { router } = renderApp('/login?next=/contacts');

    await fillAndSubmit({ workspace: ' acme ', email: 'ana@acme.com.br', password: 's3cret!' });

    const busy = await screen.findByRole('button', { name: 'Entrando…' });
    expect(busy).toBeDisabled();
    release();

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/contacts');
    });
    expect(await screen.findByText('Ana Souza')).toBeInTheDocument();
    expect(screen.getByText('Acme Atendimento')).toBeInTheDocument();

    // One sign-in call and no /auth/me round trip (the page itself then loads its data).
    const auth = fetch.requests.filter((r) => r.url.startsWith('/api/v1/auth/'));
    expect(auth).toHaveLength(1);
    const [req] = auth;
    expect(req?.url).toBe('/api/v1/auth/login');
    expect(req?.method).toBe('POST');
    expect(req?.credentials).toBe('include');
    expect(req?.body).toEqual({ workspace: 'acme', email: 'ana@acme.com.br', password: 's3cret!' });
  });

  it('shows the translated message for invalid_credentials', async () => {
    mockFetch(() => apiError(401, 'invalid_credentials', 'Workspace, email or password is wrong'));
    const { router } = renderApp('/login');

    await fillAndSubmit({ workspace: 'acme', email: 'ana@acme.com.br', password: 'wrong' });

    expect(await screen.findByRole('alert')).toHaveTextContent('Espaço de trabalho, e-mail ou senha incorretos.');
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.getByRole('button', { name: 'Entrar' })).toBeEnabled();
  });

  it('says how long to wait when rate limited', async () => {
    mockFetch(() => apiError(429, 'rate_limited', 'Too many attempts', { 'Retry-After': '42' }, { retryAfter: 42 }));
    renderApp('/login');

    await fillAndSubmit({ workspace: 'acme', email: 'ana@acme.com.br', password: 'x' });

    expect(await screen.findByRole('alert')).toHaveTextContent('Muitas tentativas. Tente novamente em 42 segundos.');
  });

  it('maps other failures to their own messages', async () => {
    const cases: [() => Response | Promise<Response>, string][] = [
      [() => apiError(403, 'tenant_suspended'), 'Este espaço de trabalho está suspenso.'],
      [() => apiError(429, 'rate_limited', 'x', { 'Retry-After': '120' }), 'Tente novamente em 2 minutos.'],
      [() => apiError(500, 'internal_error'), 'Não foi possível entrar agora.'],
      [() => Promise.reject(new TypeError('Failed to fetch')), 'Sem conexão com o servidor.'],
    ];
    for (const [respond, text] of cases) {
      mockFetch(respond);
      const view = renderApp('/login');
      await fillAndSubmit({ workspace: 'acme', email: 'ana@acme.com.br', password: 'x' });
      expect(await screen.findByRole('alert')).toHaveTextContent(text);
      view.unmount();
    }
  });

  it('marks the fields named by validation_failed', async () => {
    mockFetch(() => apiError(422, 'validation_failed', 'email: invalid', {}, { email: ['invalid'] }));
    renderApp('/login');
    await fillAndSubmit({ workspace: 'acme', email: 'ana@acme.com.br', password: 'x' });
    expect(await screen.findByRole('alert')).toHaveTextContent('Verifique os campos destacados');
    expect(screen.getByText('Valor não aceito pelo servidor.')).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');
  });

  it('switches the labels to English and remembers the choice', async () => {
    mockFetch(() => jsonResponse({}));
    renderApp('/login');
    const user = userEvent.setup();

    expect(screen.getByRole('heading', { name: 'Entrar no Atende' })).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Idioma' }), 'en');

    expect(await screen.findByRole('heading', { name: 'Sign in to Atende' })).toBeInTheDocument();
    expect(screen.getByLabelText('Workspace')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');

    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findAllByText('This field is required.')).toHaveLength(3);
  });
});
