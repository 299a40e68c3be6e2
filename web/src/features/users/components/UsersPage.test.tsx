import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, jsonResponse, mockApi, renderSignedIn, requestsTo, user } from '@/test/utils';

const ANA = user();
const BRUNO = user({
  id: '0b8f5c3e-1111-4a5b-9c1d-000000000002',
  name: 'Bruno Lima',
  email: 'bruno@acme.com.br',
  role: 'AGENT',
  lastLoginAt: null,
});
const CARLA = user({ id: '0b8f5c3e-1111-4a5b-9c1d-000000000003', name: 'Carla Dias', email: 'carla@acme.com.br', role: 'MANAGER', active: false });

const list = (users = [ANA, BRUNO, CARLA]) => jsonResponse({ users, total: users.length });

describe('users table', () => {
  it('lists users with role badges, status and the pt-BR last sign-in', async () => {
    mockApi({ 'GET /api/v1/users': () => list() });
    renderSignedIn('/settings/users');

    const table = await screen.findByRole('table', { name: 'Usuários' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    const ana = within(table).getByRole('row', { name: /Ana Souza/ });
    expect(ana).toHaveTextContent('Administrador');
    expect(ana).toHaveTextContent('Ativo');
    expect(ana).toHaveTextContent('28/11/2026 14:05');
    expect(ana).toHaveTextContent('(você)');
    expect(within(table).getByRole('row', { name: /Bruno Lima/ })).toHaveTextContent('Nunca');
    expect(within(table).getByRole('row', { name: /Carla Dias/ })).toHaveTextContent('Inativo');
    expect(screen.getByText('3 usuários')).toBeInTheDocument();
    // Admins can deactivate others, but never themselves.
    expect(screen.getByRole('button', { name: 'Desativar Bruno Lima' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Desativar Ana Souza' })).not.toBeInTheDocument();
  });

  it('searches and filters through the API, and says what to do when nothing matches', async () => {
    const api = mockApi({
      'GET /api/v1/users': (req) => (new URL(req.url, 'http://x').searchParams.get('q') === 'zzz' ? list([]) : list()),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/users');
    await screen.findByRole('table');

    await u.selectOptions(screen.getByRole('combobox', { name: 'Papel' }), 'AGENT');
    await waitFor(() => {
      expect(api.requests.at(-1)?.url).toContain('role=AGENT');
    });
    await u.type(screen.getByRole('searchbox', { name: 'Buscar usuários' }), 'zzz');
    expect(await screen.findByText('Nenhum usuário encontrado')).toBeInTheDocument();
    const last = new URL(api.requests.at(-1)?.url ?? '', 'http://x').searchParams;
    expect(last.get('q')).toBe('zzz');
    expect(last.get('role')).toBe('AGENT');

    await u.click(screen.getByRole('button', { name: 'Limpar filtros' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Buscar usuários' })).toHaveValue('');
  });

  it('is read-only for managers', async () => {
    mockApi({ 'GET /api/v1/users': () => list() });
    renderSignedIn('/settings/users', 'MANAGER');
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: 'Novo usuário' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Editar/ })).not.toBeInTheDocument();
  });

  it('deactivates after confirmation and translates last_admin', async () => {
    const api = mockApi({
      'GET /api/v1/users': () => list(),
      [`POST /api/v1/users/${BRUNO.id}/deactivate`]: () => apiError(409, 'last_admin'),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/users');
    await u.click(await screen.findByRole('button', { name: 'Desativar Bruno Lima' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Desativar Bruno Lima?' });
    await u.click(within(confirm).getByRole('button', { name: 'Desativar' }));
    expect(await screen.findByText('O espaço de trabalho precisa de pelo menos um administrador ativo.')).toBeInTheDocument();
    expect(requestsTo(api, `/api/v1/users/${BRUNO.id}/deactivate`, 'POST')).toHaveLength(1);
  });
});

describe('create user dialog', () => {
  async function openDialog() {
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Novo usuário' }));
    const dialog = await screen.findByRole('dialog', { name: 'Novo usuário' });
    return { u, dialog };
  }

  it('validates before calling the API', async () => {
    const api = mockApi({ 'GET /api/v1/users': () => list() });
    renderSignedIn('/settings/users');
    const { u, dialog } = await openDialog();

    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));
    expect(await within(dialog).findAllByText('Campo obrigatório.')).toHaveLength(2);
    expect(within(dialog).getByText('Use pelo menos 8 caracteres.')).toBeInTheDocument();

    await u.type(within(dialog).getByLabelText('E-mail'), 'not-an-email');
    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));
    expect(await within(dialog).findByText('Informe um e-mail válido.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');
    expect(requestsTo(api, '/api/v1/users', 'POST')).toHaveLength(0);
  });

  it('creates the user, closes, toasts and refreshes the list', async () => {
    let created = false;
    const api = mockApi({
      'GET /api/v1/users': () => list(created ? [ANA, BRUNO, CARLA, user({ id: 'new', name: 'Dora Reis', email: 'dora@acme.com.br', role: 'AGENT' })] : undefined),
      'POST /api/v1/users': (req) => {
        created = true;
        return jsonResponse({ user: user({ id: 'new', ...(req.body as object) }) }, { status: 201 });
      },
    });
    renderSignedIn('/settings/users');
    const { u, dialog } = await openDialog();

    await u.type(within(dialog).getByLabelText('Nome'), '  Dora Reis ');
    await u.type(within(dialog).getByLabelText('E-mail'), 'dora@acme.com.br');
    await u.type(within(dialog).getByLabelText('Senha inicial'), 'segredo123');
    await u.selectOptions(within(dialog).getByLabelText('Papel'), 'MANAGER');
    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));

    expect(await screen.findByText('Dora Reis foi adicionado(a).')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    expect(requestsTo(api, '/api/v1/users', 'POST')[0]?.body).toEqual({
      name: 'Dora Reis',
      email: 'dora@acme.com.br',
      password: 'segredo123',
      role: 'MANAGER',
    });
    expect(await screen.findByRole('row', { name: /Dora Reis/ })).toBeInTheDocument();
  });

  it('maps email_taken and validation_failed details onto the fields', async () => {
    let answer = () => apiError(409, 'email_taken', 'A user with this email already exists');
    mockApi({ 'GET /api/v1/users': () => list(), 'POST /api/v1/users': () => answer() });
    renderSignedIn('/settings/users');
    const { u, dialog } = await openDialog();

    await u.type(within(dialog).getByLabelText('Nome'), 'Ana');
    await u.type(within(dialog).getByLabelText('E-mail'), 'ana@acme.com.br');
    await u.type(within(dialog).getByLabelText('Senha inicial'), 'segredo123');
    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));

    expect(await within(dialog).findByText('Já existe um usuário com este e-mail neste espaço de trabalho.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText('E-mail')).toHaveFocus();

    answer = () => apiError(422, 'validation_failed', 'password: too short', {}, { password: ['length is lower than 8'] });
    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));
    expect(await within(dialog).findByText('Valor não aceito pelo servidor (length is lower than 8).')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Senha inicial')).toHaveAttribute('aria-invalid', 'true');

    answer = () => apiError(403, 'forbidden');
    await u.click(within(dialog).getByRole('button', { name: 'Criar usuário' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Seu papel não permite esta ação.');
  });
});

describe('edit user dialog', () => {
  it('sends only the changed fields', async () => {
    const api = mockApi({
      'GET /api/v1/users': () => list(),
      [`PATCH /api/v1/users/${BRUNO.id}`]: (req) => jsonResponse({ user: { ...BRUNO, ...(req.body as object) } }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/users');
    await u.click(await screen.findByRole('button', { name: 'Editar Bruno Lima' }));
    const dialog = await screen.findByRole('dialog', { name: 'Editar usuário' });
    expect(within(dialog).getByLabelText('Nome')).toHaveValue('Bruno Lima');

    await u.selectOptions(within(dialog).getByLabelText('Papel'), 'MANAGER');
    await u.type(within(dialog).getByLabelText('Redefinir senha'), 'nova-senha-1');
    await u.click(within(dialog).getByRole('button', { name: 'Salvar alterações' }));

    expect(await screen.findByText('Alterações de Bruno Lima salvas.')).toBeInTheDocument();
    expect(requestsTo(api, `/api/v1/users/${BRUNO.id}`, 'PATCH')[0]?.body).toEqual({ role: 'MANAGER', password: 'nova-senha-1' });
  });

  it('explains last_admin inside the dialog', async () => {
    mockApi({
      'GET /api/v1/users': () => list(),
      [`PATCH /api/v1/users/${ANA.id}`]: () => apiError(409, 'last_admin'),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/users');
    await u.click(await screen.findByRole('button', { name: 'Editar Ana Souza' }));
    const dialog = await screen.findByRole('dialog', { name: 'Editar usuário' });
    // One cannot switch oneself off.
    expect(within(dialog).getByRole('switch', { name: 'Conta ativa' })).toBeDisabled();
    await u.selectOptions(within(dialog).getByLabelText('Papel'), 'AGENT');
    await u.click(within(dialog).getByRole('button', { name: 'Salvar alterações' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('O espaço de trabalho precisa de pelo menos um administrador ativo.');
  });
});
