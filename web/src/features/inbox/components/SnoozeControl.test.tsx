import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation } from '@/test/inboxFixtures';
import { jsonResponse, mockApi, noContent, renderSignedIn, requestsTo } from '@/test/utils';
import type { Conversation } from '../api/keys';

function api(initial: Conversation) {
  let current = initial;
  return mockApi({
    'GET /api/v1/conversations': () => jsonResponse({ conversations: [current], total: 1 }),
    'GET /api/v1/conversations/c1': () => jsonResponse({ conversation: current }),
    'PATCH /api/v1/conversations/c1': (req) => {
      current = { ...current, ...(req.body as Partial<Conversation>) };
      return jsonResponse({ conversation: current });
    },
    'GET /api/v1/messages': () => jsonResponse({ messages: [], nextCursor: null }),
    'POST /api/v1/conversations/c1/read': () => noContent(),
    'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
    'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }),
    'GET /api/v1/teams': () => jsonResponse({ teams: [] }),
  });
}

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

describe('snooze in the conversation header', () => {
  it('snoozes until tomorrow 9:00, shows it in the header and the list, then unsnoozes with null', async () => {
    const fetch = api(conversation({ id: 'c1', contact: { id: 'k1', name: 'Maria Silva', phone: null, email: null } }));
    renderSignedIn('/inbox/c1?tab=all');
    const select = await screen.findByRole('combobox', { name: 'Adiar…' });
    await userEvent.selectOptions(select, 'tomorrow');

    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/c1', 'PATCH')).toHaveLength(1);
    });
    const body = requestsTo(fetch, '/api/v1/conversations/c1', 'PATCH')[0]?.body as { snoozedUntil: string };
    const until = new Date(body.snoozedUntil);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect([until.getHours(), until.getMinutes()]).toEqual([9, 0]);
    expect(await screen.findByTestId('snoozed-until')).toHaveTextContent(/^Adiada até \d{2}\/\d{2} 09:00$/);
    expect(await screen.findByTestId('snoozed-badge')).toHaveTextContent('Adiada');

    await userEvent.click(screen.getByRole('button', { name: 'Reativar agora' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/c1', 'PATCH')[1]?.body).toEqual({ snoozedUntil: null });
    });
    expect(await screen.findByRole('combobox', { name: 'Adiar…' })).toBeInTheDocument();
  });

  it('rejects a custom time in the past without calling the server', async () => {
    const fetch = api(conversation({ id: 'c1' }));
    renderSignedIn('/inbox/c1?tab=all');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Adiar…' }), 'custom');
    const input = screen.getByLabelText('Adiar até');
    await userEvent.type(input, '2020-01-01T10:00');
    await userEvent.click(screen.getByRole('button', { name: 'Adiar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Escolha uma data e hora no futuro.');
    expect(requestsTo(fetch, '/api/v1/conversations/c1', 'PATCH')).toHaveLength(0);
  });
});
