import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, jsonResponse, mockApi, noContent, renderSignedIn, requestsTo, user } from '@/test/utils';

const TEAM = { id: 'team-1', name: 'Suporte', description: 'Primeiro nível', memberCount: 3, supervisorIds: [] as string[] };
const MEMBERS = [
  { userId: 'u-agent', name: 'Bruno Lima', email: 'bruno@acme.com.br', role: 'AGENT', supervisor: false },
  { userId: 'u-manager', name: 'Carla Dias', email: 'carla@acme.com.br', role: 'MANAGER', supervisor: false },
  { userId: 'u-admin', name: 'Ana Souza', email: 'ana@acme.com.br', role: 'ADMIN', supervisor: true },
];

function teamsApi(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    'GET /api/v1/teams': () => jsonResponse({ teams: [TEAM] }),
    'GET /api/v1/teams/team-1/members': () => jsonResponse({ members: MEMBERS }),
    'GET /api/v1/users': () =>
      jsonResponse({ users: [user({ id: 'u-new', name: 'Dora Reis', role: 'AGENT' }), user({ id: 'u-agent', name: 'Bruno Lima' })], total: 2 }),
    ...extra,
  });
}

function memberRow(name: string): HTMLElement {
  const row = screen.getAllByTestId('team-member').find((li) => li.textContent.includes(name));
  if (row === undefined) throw new Error(`no member row for ${name}`);
  return row;
}

describe('team members', () => {
  it('only lets managers and admins supervise, and says why for agents', async () => {
    let members = MEMBERS;
    const api = teamsApi({
      'GET /api/v1/teams/team-1/members': () => jsonResponse({ members }),
      'PUT /api/v1/teams/team-1/members/u-manager': (req) => {
        const { supervisor } = req.body as { supervisor: boolean };
        members = members.map((m) => (m.userId === 'u-manager' ? { ...m, supervisor } : m));
        return jsonResponse({ member: members[1] });
      },
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/teams?team=team-1');
    await screen.findByText('Carla Dias');

    const agentSwitch = within(memberRow('Bruno Lima')).getByRole('switch', { name: 'Bruno Lima supervisiona a equipe' });
    expect(agentSwitch).toBeDisabled();
    expect(agentSwitch).toHaveAccessibleDescription(/Agentes não podem supervisionar/);

    const managerSwitch = within(memberRow('Carla Dias')).getByRole('switch', { name: 'Carla Dias supervisiona a equipe' });
    expect(managerSwitch).toBeEnabled();
    expect(managerSwitch).toHaveAttribute('aria-checked', 'false');
    await u.click(managerSwitch);

    expect(await screen.findByText('Carla Dias agora supervisiona a equipe.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/teams/team-1/members/u-manager', 'PUT')[0]?.body).toEqual({ supervisor: true });
    await waitFor(() => {
      expect(within(memberRow('Carla Dias')).getByRole('switch')).toHaveAttribute('aria-checked', 'true');
    });
    expect(within(memberRow('Ana Souza')).getByRole('switch')).toHaveAttribute('aria-checked', 'true');
    // The agent switch was never sent.
    expect(requestsTo(api, '/api/v1/teams/team-1/members/u-agent', 'PUT')).toHaveLength(0);
  });

  it('shows the server refusal if a supervisor change is rejected', async () => {
    teamsApi({
      'PUT /api/v1/teams/team-1/members/u-manager': () =>
        apiError(422, 'validation_failed', 'supervisor', {}, { supervisor: ['only managers and admins can supervise a team'] }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/teams?team=team-1');
    await screen.findByText('Carla Dias');
    await u.click(within(memberRow('Carla Dias')).getByRole('switch'));
    expect(await screen.findByText('Verifique os campos destacados e tente novamente.')).toBeInTheDocument();
  });

  it('adds a user who is not yet a member, and removes one', async () => {
    const api = teamsApi({
      'PUT /api/v1/teams/team-1/members/u-new': () =>
        jsonResponse({ member: { userId: 'u-new', name: 'Dora Reis', email: 'dora@acme.com.br', role: 'AGENT', supervisor: false } }),
      'DELETE /api/v1/teams/team-1/members/u-agent': () => noContent(),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/teams?team=team-1');
    await screen.findByText('Carla Dias');

    const select = screen.getByRole('combobox', { name: 'Adicionar pessoa' });
    await waitFor(() => {
      expect(within(select).getAllByRole('option')).toHaveLength(2);
    });
    // Bruno is already in the team, so only Dora is offered.
    expect(within(select).getByRole('option', { name: 'Dora Reis · Agente' })).toBeInTheDocument();
    await u.selectOptions(select, 'u-new');
    await u.click(screen.getByRole('button', { name: 'Adicionar' }));
    expect(await screen.findByText('Dora Reis entrou na equipe.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/teams/team-1/members/u-new', 'PUT')[0]?.body).toEqual({ supervisor: false });

    await u.click(screen.getByRole('button', { name: 'Remover Bruno Lima da equipe' }));
    expect(await screen.findByText('Bruno Lima saiu da equipe.')).toBeInTheDocument();
  });

  it('is read-only for managers', async () => {
    teamsApi();
    renderSignedIn('/settings/teams?team=team-1', 'MANAGER');
    await screen.findByText('Carla Dias');
    expect(screen.queryByRole('button', { name: 'Nova equipe' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Adicionar pessoa' })).not.toBeInTheDocument();
    for (const sw of screen.getAllByRole('switch')) expect(sw).toBeDisabled();
  });
});

describe('teams', () => {
  it('creates a team, translating team_name_taken inline', async () => {
    let taken = true;
    const api = teamsApi({
      'POST /api/v1/teams': (req) =>
        taken
          ? apiError(409, 'team_name_taken')
          : jsonResponse({ team: { ...TEAM, id: 'team-2', memberCount: 0, ...(req.body as object) } }, { status: 201 }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/teams');
    await u.click(await screen.findByRole('button', { name: 'Nova equipe' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nova equipe' });
    await u.type(within(dialog).getByLabelText('Nome'), 'Suporte');
    await u.click(within(dialog).getByRole('button', { name: 'Criar equipe' }));
    expect(await within(dialog).findByText('Já existe uma equipe com este nome.')).toBeInTheDocument();

    taken = false;
    await u.clear(within(dialog).getByLabelText('Nome'));
    await u.type(within(dialog).getByLabelText('Nome'), 'Vendas');
    await u.click(within(dialog).getByRole('button', { name: 'Criar equipe' }));
    expect(await screen.findByText('Equipe “Vendas” criada.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/teams', 'POST').at(-1)?.body).toEqual({ name: 'Vendas', description: null });
  });

  it('deletes a team after confirmation', async () => {
    const api = teamsApi({ 'DELETE /api/v1/teams/team-1': () => noContent() });
    const u = userEvent.setup();
    renderSignedIn('/settings/teams?team=team-1');
    await u.click(await screen.findByRole('button', { name: 'Excluir equipe' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Excluir a equipe “Suporte”?' });
    await u.click(within(confirm).getByRole('button', { name: 'Excluir equipe' }));
    expect(await screen.findByText('Equipe “Suporte” excluída.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/teams/team-1', 'DELETE')).toHaveLength(1);
  });

  it('tells an admin with no teams what to do next', async () => {
    mockApi({ 'GET /api/v1/teams': () => jsonResponse({ teams: [] }) });
    renderSignedIn('/settings/teams');
    expect(await screen.findByText('Nenhuma equipe ainda')).toBeInTheDocument();
    expect(screen.getByText(/Crie a primeira equipe/)).toBeInTheDocument();
  });
});
