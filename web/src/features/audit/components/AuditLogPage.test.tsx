import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, jsonResponse, mockApi, renderSignedIn, requestsTo, user } from '@/test/utils';
import { describeDetails } from '../details';

const BRUNO = user({ id: 'u2', name: 'Bruno Lima', email: 'bruno@acme.com.br', role: 'MANAGER' });

const ROLE_CHANGE = {
  id: 'e1',
  action: 'user.updated',
  actor: { kind: 'user', id: '0b8f5c3e-1111-4a5b-9c1d-000000000001', name: 'Ana Souza', email: 'ana@acme.com.br' },
  targetType: 'user',
  targetId: 'u2000000-0000-0000-0000-000000000000',
  details: { fields: ['role'], role: { from: 'AGENT', to: 'MANAGER' } },
  ip: null,
  createdAt: '2026-12-03T14:05:00Z',
};
const SUSPENDED = {
  id: 'e2',
  action: 'tenant.suspended',
  actor: { kind: 'platform_admin', id: 'p1', name: null, email: null },
  targetType: 'tenant',
  targetId: null,
  details: null,
  ip: null,
  createdAt: '2026-12-03T13:00:00Z',
};
const UNKNOWN = { ...SUSPENDED, id: 'e3', action: 'future.thing', actor: { kind: 'system', id: null, name: null, email: null } };

function api(entries = [ROLE_CHANGE, SUSPENDED, UNKNOWN]) {
  return mockApi({
    'GET /api/v1/audit-log': (req) =>
      req.url.includes('action=charge') ? jsonResponse({ entries: [], total: 0 }) : jsonResponse({ entries, total: entries.length }),
    'GET /api/v1/users': () => jsonResponse({ users: [user(), BRUNO], total: 2 }),
  });
}

describe('Settings → Registro de auditoria', () => {
  it('lists entries with translated actions, actors and details', async () => {
    api();
    renderSignedIn('/settings/audit-log', 'ADMIN');
    expect(await screen.findByRole('heading', { name: 'Registro de auditoria' })).toBeInTheDocument();
    const [first, second, third] = await screen.findAllByTestId('audit-row');
    if (!first || !second || !third) throw new Error('three rows expected');
    expect(within(first).getByText('Usuário alterado')).toBeInTheDocument();
    expect(within(first).getByText('Ana Souza')).toBeInTheDocument();
    expect(within(first).getByText(/role: AGENT → MANAGER/)).toBeInTheDocument();
    expect(within(first).getByText('Sobre: Usuário …00000000')).toBeInTheDocument();
    expect(within(second).getByText('Espaço de trabalho suspenso')).toBeInTheDocument();
    expect(within(second).getByText('Administração da plataforma')).toBeInTheDocument();
    // An action the web app does not know yet shows its code.
    expect(within(third).getAllByText('future.thing')).toHaveLength(2);
    expect(within(third).getByText('Sistema')).toBeInTheDocument();
    expect(screen.getByText('3 registros')).toBeInTheDocument();
  });

  it('filters by person, action and days, and the CSV link carries the filters', async () => {
    const fetch = api();
    renderSignedIn('/settings/audit-log', 'ADMIN');
    await screen.findAllByTestId('audit-row');
    await userEvent.selectOptions(await screen.findByLabelText('Quem'), 'u2');
    await userEvent.selectOptions(screen.getByLabelText('Ação'), 'charge.cancelled');
    await userEvent.type(screen.getByLabelText('De'), '2026-12-01');
    expect(await screen.findByText('Nenhuma ação registrada com estes filtros.')).toBeInTheDocument();
    await waitFor(() => {
      const last = requestsTo(fetch, '/api/v1/audit-log', 'GET').at(-1);
      expect(last?.url).toContain('actorId=u2');
      expect(last?.url).toContain('action=charge.cancelled');
      expect(last?.url).toContain('from=2026-12-01');
    });
    const link = screen.getByRole('link', { name: 'Baixar CSV' });
    expect(link.getAttribute('href')).toBe('/api/v1/audit-log.csv?actorId=u2&action=charge.cancelled&from=2026-12-01');
    await userEvent.click(screen.getByRole('button', { name: 'Limpar filtros' }));
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(3);
  });

  it('says when the end date is before the start date, without asking the server', async () => {
    const fetch = api();
    renderSignedIn('/settings/audit-log', 'ADMIN');
    await screen.findAllByTestId('audit-row');
    const before = requestsTo(fetch, '/api/v1/audit-log', 'GET').length;
    await userEvent.type(screen.getByLabelText('De'), '2026-12-05');
    await userEvent.type(screen.getByLabelText('Até'), '2026-12-01');
    expect(await screen.findByText('A data final deve ser igual ou posterior à inicial.')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/audit-log', 'GET').every((r) => !r.url.includes('to=2026-12-01'))).toBe(true);
    expect(requestsTo(fetch, '/api/v1/audit-log', 'GET').length).toBeGreaterThanOrEqual(before);
  });

  it('shows the server error with a retry', async () => {
    mockApi({
      'GET /api/v1/audit-log': () => apiError(403, 'forbidden'),
      'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }),
    });
    renderSignedIn('/settings/audit-log', 'ADMIN');
    expect(await screen.findByRole('button', { name: 'Tentar novamente' })).toBeInTheDocument();
  });

  it('is for admins only: a manager is sent to their profile and sees no menu entry', async () => {
    mockApi({ 'GET /api/v1/users/0b8f5c3e-1111-4a5b-9c1d-000000000001': () => jsonResponse({ user: user({ role: 'MANAGER' }) }) });
    const { router } = renderSignedIn('/settings/audit-log', 'MANAGER');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/settings/profile');
    });
    expect(screen.queryByRole('link', { name: 'Registro de auditoria' })).not.toBeInTheDocument();
  });
});

describe('describeDetails', () => {
  it('reads lists, changes and nested objects', () => {
    expect(describeDetails({ fields: ['name', 'role'], role: { from: 'AGENT', to: 'ADMIN' } })).toBe(
      'fields: name, role · role: AGENT → ADMIN',
    );
    expect(describeDetails({ conversations: 2, messages: 5 })).toBe('conversations: 2 · messages: 5');
    expect(describeDetails(null)).toBe('');
  });
});
