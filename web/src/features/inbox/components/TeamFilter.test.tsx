import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation } from '@/test/inboxFixtures';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';
import { parseFilter } from '../hooks/useInboxFilter';
import { toConversationQuery } from '../api/keys';

const TEAMS = [
  { id: 'team-1', name: 'Suporte', description: null, memberCount: 3, supervisorIds: [] as string[] },
  { id: 'team-2', name: 'Vendas', description: null, memberCount: 2, supervisorIds: [] as string[] },
];

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

describe('team filter', () => {
  it('reads `team` from the URL into the teamId query param', () => {
    const filter = parseFilter(new URLSearchParams('tab=all&team=team-2'));
    expect(filter.teamId).toBe('team-2');
    expect(toConversationQuery(filter)).toEqual({ agentId: 'all', status: 'OPEN', teamId: 'team-2' });
    expect(toConversationQuery(parseFilter(new URLSearchParams('tab=all')))).not.toHaveProperty('teamId');
  });

  it('lists the teams, keeps the choice in the URL and sends teamId', async () => {
    const fetch = mockApi({
      'GET /api/v1/conversations': () => jsonResponse({ conversations: [conversation({ id: 'c1' })], total: 1 }),
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
      'GET /api/v1/teams': () => jsonResponse({ teams: TEAMS }),
    });
    const { router } = renderSignedIn('/inbox?tab=all');
    const select = await screen.findByRole('combobox', { name: 'Equipe' });
    expect(screen.getByRole('option', { name: 'Vendas' })).toBeInTheDocument();
    await userEvent.selectOptions(select, 'team-2');

    await waitFor(() => {
      expect(router.state.location.search).toContain('team=team-2');
    });
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations', 'GET').some((r) => r.url.includes('teamId=team-2'))).toBe(true);
    });

    await userEvent.selectOptions(select, '');
    await waitFor(() => {
      expect(router.state.location.search).not.toContain('team=');
    });
  });
});
