import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SESSION, jsonResponse, mockApi, noContent, renderSignedIn, requestsTo, user } from '@/test/utils';

const SECRET = 'atd_5f0c2a9d8e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d';
const ME = user({ ...SESSION.user, role: 'AGENT', availability: 'online' });
const EXISTING = {
  id: 'tok-1',
  name: 'ERP',
  prefix: 'atd_11112222',
  createdAt: '2026-11-01T13:00:00Z',
  lastUsedAt: null,
  expiresAt: null,
  revoked: false,
};

function profileApi() {
  let tokens = [EXISTING];
  return mockApi({
    [`GET /api/v1/users/${ME.id}`]: () => jsonResponse({ user: ME }),
    [`PATCH /api/v1/users/${ME.id}`]: (req) => jsonResponse({ user: { ...ME, ...(req.body as object) } }),
    'GET /api/v1/auth/tokens': () => jsonResponse({ apiTokens: tokens }),
    'POST /api/v1/auth/tokens': (req) => {
      const apiToken = { ...EXISTING, id: 'tok-2', name: (req.body as { name: string }).name, prefix: SECRET.slice(0, 12), createdAt: '2026-11-28T17:05:00Z' };
      tokens = [...tokens, apiToken];
      return jsonResponse({ token: SECRET, apiToken }, { status: 201 });
    },
    'DELETE /api/v1/auth/tokens/tok-1': () => {
      tokens = tokens.map((t) => (t.id === 'tok-1' ? { ...t, revoked: true } : t));
      return noContent();
    },
  });
}

describe('API tokens', () => {
  it('shows a new token once, with a copy button, and only its prefix afterwards', async () => {
    const api = profileApi();
    const u = userEvent.setup(); // also stubs the clipboard
    renderSignedIn('/settings/profile', 'AGENT');

    await u.click(await screen.findByRole('button', { name: 'Novo token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Novo token de API' });
    await u.type(within(dialog).getByLabelText('Nome'), 'Zapier');
    await u.selectOptions(within(dialog).getByLabelText('Validade'), '');
    await u.click(within(dialog).getByRole('button', { name: 'Criar token' }));

    const shown = await screen.findByRole('dialog', { name: 'Copie o seu token agora' });
    expect(within(shown).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/auth/tokens', 'POST')[0]?.body).toEqual({ name: 'Zapier' });
    await u.click(within(shown).getByRole('button', { name: 'Copiar' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(await screen.findByText('Token copiado.')).toBeInTheDocument();

    await u.click(within(shown).getByRole('button', { name: 'Já copiei' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    const row = await screen.findByRole('row', { name: /Zapier/ });
    expect(row).toHaveTextContent(`${SECRET.slice(0, 12)}…`);
    expect(document.body.innerHTML).not.toContain(SECRET);

    // Opening the dialog again starts from an empty form, not the old secret.
    await u.click(screen.getByRole('button', { name: 'Novo token' }));
    const again = await screen.findByRole('dialog', { name: 'Novo token de API' });
    expect(within(again).queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it('revokes a token after confirmation', async () => {
    const api = profileApi();
    const u = userEvent.setup();
    renderSignedIn('/settings/profile', 'AGENT');
    await u.click(await screen.findByRole('button', { name: 'Revogar ERP' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revogar o token “ERP”?' });
    await u.click(within(confirm).getByRole('button', { name: 'Revogar' }));
    expect(await screen.findByText('Token “ERP” revogado.')).toBeInTheDocument();
    expect(await screen.findByText('Revogado')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/auth/tokens/tok-1', 'DELETE')).toHaveLength(1);
  });
});

describe('my profile', () => {
  it('changes name, availability and password through PATCH /users/{me}', async () => {
    const api = profileApi();
    const u = userEvent.setup();
    renderSignedIn('/settings/profile', 'AGENT');

    const name = await screen.findByLabelText('Nome');
    await u.clear(name);
    await u.type(name, 'Ana S. Souza');
    await u.click(screen.getByRole('button', { name: 'Salvar' }));
    expect(await screen.findByText('Nome atualizado.')).toBeInTheDocument();
    // The shell shows the new name at once.
    expect(screen.getByTestId('user-name')).toHaveTextContent('Ana S. Souza');

    await u.click(screen.getByRole('radio', { name: /Ocupado/ }));
    expect(await screen.findByText('Disponibilidade: Ocupado.')).toBeInTheDocument();

    await u.type(screen.getByLabelText('Nova senha'), 'nova-senha-1');
    await u.type(screen.getByLabelText('Confirme a nova senha'), 'nova-senha-2');
    await u.click(screen.getByRole('button', { name: 'Trocar senha' }));
    expect(await screen.findByText('As senhas não conferem.')).toBeInTheDocument();
    await u.clear(screen.getByLabelText('Confirme a nova senha'));
    await u.type(screen.getByLabelText('Confirme a nova senha'), 'nova-senha-1');
    await u.click(screen.getByRole('button', { name: 'Trocar senha' }));
    expect(await screen.findByText('Senha alterada.')).toBeInTheDocument();

    expect(requestsTo(api, `/api/v1/users/${ME.id}`, 'PATCH').map((r) => r.body)).toEqual([
      { name: 'Ana S. Souza' },
      { availability: 'busy' },
      { password: 'nova-senha-1' },
    ]);
  });
});

describe('settings access by role', () => {
  it('shows agents their profile and the read-only canned responses, and sends them to the profile from admin pages', async () => {
    profileApi();
    const { router } = renderSignedIn('/settings/users', 'AGENT');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/settings/profile');
    });
    const nav = screen.getByRole('navigation', { name: 'Seções das configurações' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Respostas prontas', 'Meu perfil', 'Minha atividade', 'O que é medido']);
  });

  it('opens Users first for managers and admins', async () => {
    mockApi({ 'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }) });
    const { router } = renderSignedIn('/settings', 'MANAGER');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/settings/users');
    });
    const nav = screen.getByRole('navigation', { name: 'Seções das configurações' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Usuários',
      'Equipes',
      'Canais',
      'Espaço de trabalho',
      'Produtividade',
      'Categorias',
      'Respostas prontas',
      'Meu perfil',
      'Minha atividade',
      'O que é medido',
    ]);
  });

  it('shows Asaas and the audit log only to admins', async () => {
    mockApi({ 'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }) });
    renderSignedIn('/settings', 'ADMIN');
    const nav = await screen.findByRole('navigation', { name: 'Seções das configurações' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Usuários',
      'Equipes',
      'Canais',
      'Espaço de trabalho',
      'Produtividade',
      'Categorias',
      'Respostas prontas',
      'Asaas',
      'Registro de auditoria',
      'Meu perfil',
      'Minha atividade',
      'O que é medido',
    ]);
  });
});
