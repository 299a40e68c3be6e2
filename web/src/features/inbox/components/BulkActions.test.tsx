import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation } from '@/test/inboxFixtures';
import { jsonResponse, mockApi, renderSignedIn, requestsTo, type SeenRequest } from '@/test/utils';

const C1 = conversation({ id: 'c1', contact: { id: 'k1', name: 'Maria Silva', phone: null, email: null } });
const C2 = conversation({ id: 'c2', contact: { id: 'k2', name: 'João Pereira', phone: null, email: null } });
const CARLA = {
  id: 'u-carla',
  name: 'Carla',
  email: 'carla@acme.test',
  role: 'AGENT',
  active: true,
  availability: 'AVAILABLE',
  createdAt: '2026-11-28T11:00:00Z',
};

function api(bulk: (req: SeenRequest) => Response) {
  return mockApi({
    'GET /api/v1/conversations': () => jsonResponse({ conversations: [C1, C2], total: 2 }),
    'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
    'GET /api/v1/users': () => jsonResponse({ users: [CARLA], total: 1 }),
    'GET /api/v1/teams': () => jsonResponse({ teams: [{ id: 't-1', name: 'Suporte', description: null, memberCount: 1, createdAt: C1.createdAt }] }),
    'POST /api/v1/conversations/bulk': bulk,
  });
}

async function selectBoth() {
  const user = userEvent.setup();
  renderSignedIn('/inbox?tab=all');
  await user.click(await screen.findByRole('checkbox', { name: 'Selecionar conversa com Maria Silva' }));
  await user.click(screen.getByRole('checkbox', { name: 'Selecionar conversa com João Pereira' }));
  return user;
}

beforeEach(() => {
  // happy-dom has no layout: give the virtualized list a viewport.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

describe('bulk actions', () => {
  it('assigns the selected conversations in one request and keeps the ones that failed selected', async () => {
    const fetch = api(() =>
      jsonResponse({ updated: 1, succeeded: ['c1'], failed: [{ id: 'c2', code: 'not_found', message: 'Not found' }] }),
    );
    const user = await selectBoth();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Atribuir a…' }), 'Carla');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/bulk', 'POST')[0]?.body).toEqual({
        ids: ['c1', 'c2'],
        action: { type: 'assign', agentId: 'u-carla' },
      });
    });
    expect(await screen.findByText('1 conversa atualizada.')).toBeInTheDocument();
    expect(await screen.findByText('1 conversa não pôde ser alterada: não encontrada ou fora da sua visão.')).toBeInTheDocument();
    expect(screen.getByText('1 selecionada')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Selecionar conversa com João Pereira' })).toBeChecked();
  });

  it('moves to a team, sets a status, snoozes and unassigns', async () => {
    const fetch = api((req) => {
      const ids = (req.body as { ids: string[] }).ids;
      return jsonResponse({ updated: ids.length, succeeded: ids, failed: [] });
    });
    const user = await selectBoth();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Equipe…' }), 'Suporte');
    await screen.findByText('2 conversas atualizadas.');
    // Every action leaves the selection empty when all succeeded: select again.
    await user.click(screen.getByRole('checkbox', { name: 'Selecionar conversa com Maria Silva' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Mudar status…' }), 'Pendente');
    await user.click(screen.getByRole('checkbox', { name: 'Selecionar conversa com Maria Silva' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Adiar…' }), 'Amanhã às 9:00');
    await user.click(screen.getByRole('checkbox', { name: 'Selecionar conversa com Maria Silva' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Atribuir a…' }), 'Sem responsável');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/bulk', 'POST')).toHaveLength(4);
    });
    const actions = requestsTo(fetch, '/api/v1/conversations/bulk', 'POST').map((r) => (r.body as { action: Record<string, unknown> }).action);
    expect(actions[0]).toEqual({ type: 'team', teamId: 't-1' });
    expect(actions[1]).toEqual({ type: 'status', status: 'PENDING' });
    expect(actions[2]?.type).toBe('snooze');
    const until = new Date(actions[2]?.until as string);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect(until.getHours()).toBe(9);
    expect(actions[3]).toEqual({ type: 'assign', agentId: null });
  });
});
