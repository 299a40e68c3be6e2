import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lastSocket } from '@/test/fakeSocket';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';
import { activityMe, presence, secondsAgo } from '@/test/presenceFixtures';

const T1 = 'team-1';
const T2 = 'team-2';
const BRUNA = presence({ agentId: 'a-bruna', name: 'Bruna Alves', teamIds: [T1], since: secondsAgo(65) });
const CAIO = presence({
  agentId: 'a-caio',
  name: 'Caio Lima',
  teamIds: [T2],
  status: 'IDLE',
  since: secondsAgo(125),
  reason: 'client_idle',
  availability: 'online',
});
const DORA = presence({ agentId: 'a-dora', name: 'Dora Reis', teamIds: [T1], status: 'OFFLINE', session: null, availability: 'busy' });

function api() {
  return mockApi({
    'GET /api/v1/activity/me': () => jsonResponse(activityMe()),
    'POST /api/v1/activity/active': () => jsonResponse(presence()),
    'GET /api/v1/activity/board': () => jsonResponse({ agents: [DORA, CAIO, BRUNA] }),
    'GET /api/v1/teams': () =>
      jsonResponse({
        teams: [
          { id: T1, name: 'Suporte', createdAt: secondsAgo(1e5), memberCount: 2 },
          { id: T2, name: 'Vendas', createdAt: secondsAgo(1e5), memberCount: 1 },
        ],
      }),
  });
}

const row = (name: string) => {
  const r = screen.getAllByTestId('board-row').find((el) => el.textContent.includes(name));
  if (r === undefined) throw new Error(`no row for ${name}`);
  return r;
};
const kpi = (key: 'online' | 'idle' | 'offline') => screen.getByTestId(`kpi-${key}`);

describe('/dashboard: live manager board', () => {
  it('lists the agents by name with presence, time in status and active session time', async () => {
    api();
    renderSignedIn('/dashboard', 'MANAGER');
    expect(await screen.findByRole('heading', { name: 'Painel da equipe' })).toBeInTheDocument();
    await screen.findByText('Bruna Alves');
    expect(screen.getAllByTestId('board-row').map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Bruna Alves',
      'Caio Lima',
      'Dora Reis',
    ]);
    expect(within(row('Bruna Alves')).getByTestId('presence-status')).toHaveTextContent('Ativo');
    expect(within(row('Bruna Alves')).getByTestId('in-status')).toHaveTextContent(/00:01:0\d/);
    expect(within(row('Bruna Alves')).getByTestId('active-time')).toHaveTextContent(/00:51:0\d/);
    expect(within(row('Caio Lima')).getByTestId('presence-status')).toHaveTextContent('Ocioso');
    // Idle: the active time stands still at the server total.
    expect(within(row('Caio Lima')).getByTestId('active-time')).toHaveTextContent('00:50:00');
    expect(within(row('Dora Reis')).getByTestId('presence-status')).toHaveTextContent('Offline');
    expect(within(row('Dora Reis')).getByTestId('active-time')).toHaveTextContent('—');
    // Availability (intent) next to presence (measurement).
    expect(row('Dora Reis')).toHaveTextContent('Ocupado');
    expect(kpi('online')).toHaveTextContent('1');
    expect(kpi('idle')).toHaveTextContent('1');
    expect(kpi('offline')).toHaveTextContent('1');
  });

  it('follows agent_status_update and presence_snapshot without refetching', async () => {
    const fetch = api();
    renderSignedIn('/dashboard', 'ADMIN');
    await screen.findByText('Bruna Alves');
    act(() => {
      lastSocket().serverEmit('agent_status_update', { ...BRUNA, status: 'IDLE', since: new Date().toISOString(), reason: 'client_idle' });
    });
    await waitFor(() => {
      expect(within(row('Bruna Alves')).getByTestId('presence-status')).toHaveTextContent('Ocioso');
    });
    expect(kpi('online')).toHaveTextContent('0');
    expect(kpi('idle')).toHaveTextContent('2');
    // An older update (out of order) does not undo a newer one.
    act(() => {
      lastSocket().serverEmit('agent_status_update', { ...BRUNA, status: 'ACTIVE', since: secondsAgo(600) });
    });
    expect(within(row('Bruna Alves')).getByTestId('presence-status')).toHaveTextContent('Ocioso');

    act(() => {
      lastSocket().serverEmit('presence_snapshot', { agents: [{ ...CAIO, status: 'ACTIVE', since: new Date().toISOString() }] });
    });
    await waitFor(() => {
      expect(screen.getAllByTestId('board-row')).toHaveLength(1);
    });
    expect(within(row('Caio Lima')).getByTestId('presence-status')).toHaveTextContent('Ativo');
    expect(requestsTo(fetch, '/api/v1/activity/board', 'GET')).toHaveLength(1);
  });

  it('filters by team', async () => {
    api();
    const { router } = renderSignedIn('/dashboard', 'MANAGER');
    await screen.findByText('Bruna Alves');
    const select = screen.getByRole('combobox', { name: 'Equipe' });
    await waitFor(() => {
      expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Todas as equipes', 'Suporte', 'Vendas']);
    });
    await userEvent.selectOptions(select, T1);
    expect(screen.getAllByTestId('board-row')).toHaveLength(2);
    expect(screen.queryByText('Caio Lima')).not.toBeInTheDocument();
    expect(kpi('idle')).toHaveTextContent('0');
    expect(router.state.location.search).toBe(`?team=${T1}`);
  });

  it('is for managers and admins: agents do not see it in the rail and are sent to the inbox', async () => {
    api();
    const { router } = renderSignedIn('/dashboard', 'AGENT');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/inbox');
    });
    const rail = screen.getByRole('navigation', { name: 'Navegação principal' });
    expect(within(rail).queryByRole('link', { name: 'Painel' })).not.toBeInTheDocument();
  });
});
