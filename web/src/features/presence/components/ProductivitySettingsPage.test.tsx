import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lastSocket } from '@/test/fakeSocket';
import { apiError, jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';
import type { ProductivitySettings } from '../api/keys';
import { activityMe, presence, SETTINGS } from '@/test/presenceFixtures';

function api(put: (body: ProductivitySettings) => Response = (body) => jsonResponse(body)) {
  return mockApi({
    'GET /api/v1/activity/me': () => jsonResponse(activityMe()),
    'POST /api/v1/activity/active': () => jsonResponse(presence()),
    'GET /api/v1/settings/productivity': () => jsonResponse(SETTINGS),
    'PUT /api/v1/settings/productivity': (req) => put(req.body as ProductivitySettings),
  });
}

describe('Settings → Produtividade', () => {
  it('validates before sending, then saves the whole object', async () => {
    const fetch = api();
    renderSignedIn('/settings/productivity', 'ADMIN');
    const idle = await screen.findByLabelText('Tempo para considerar o agente ocioso');
    expect(idle).toHaveValue(10);
    await userEvent.clear(idle);
    await userEvent.type(idle, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    expect(await screen.findByText('Informe um número inteiro entre 1 e 240.')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/settings/productivity', 'PUT')).toHaveLength(0);

    await userEvent.clear(idle);
    await userEvent.type(idle, '3');
    await userEvent.click(screen.getByRole('switch', { name: /Habilitar logout automático/ }));
    await userEvent.type(screen.getByLabelText('Limite de conversas abertas por agente'), '8');
    await userEvent.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/settings/productivity', 'PUT')).toHaveLength(1);
    });
    expect(requestsTo(fetch, '/api/v1/settings/productivity', 'PUT')[0]?.body).toEqual({
      ...SETTINGS,
      idleTimeoutMinutes: 3,
      autoLogout: true,
      maxOpenPerAgent: 8,
    });
    expect(await screen.findByText(/Configurações de produtividade salvas/)).toBeInTheDocument();
  });

  it('wants the offline timeout after idle + server timeout', async () => {
    const fetch = api();
    renderSignedIn('/settings/productivity', 'ADMIN');
    const offline = await screen.findByLabelText('Tempo até ficar offline');
    await userEvent.clear(offline);
    await userEvent.type(offline, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    expect(await screen.findByText('Precisa ser maior que o tempo para ficar ocioso mais o tempo sem sinal do navegador.')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/settings/productivity', 'PUT')).toHaveLength(0);
  });

  it('shows the server refusal (422) on the field it names', async () => {
    api(() => apiError(422, 'validation_failed', 'invalid', {}, { serverTimeoutMinutes: ['must be at most 60'] }));
    renderSignedIn('/settings/productivity', 'ADMIN');
    const field = await screen.findByLabelText('Tempo sem sinal do navegador');
    await userEvent.clear(field);
    await userEvent.type(field, '5');
    await userEvent.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    expect(await screen.findByText('Valor não aceito pelo servidor (must be at most 60).')).toBeInTheDocument();
  });

  it('is read-only for managers', async () => {
    api();
    renderSignedIn('/settings/productivity', 'MANAGER');
    expect(await screen.findByLabelText('Tempo para considerar o agente ocioso')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Salvar alterações' })).not.toBeInTheDocument();
    expect(screen.getByText('Você pode consultar, mas só administradores podem fazer alterações aqui.')).toBeInTheDocument();
  });

  it('applies productivity_settings_updated live', async () => {
    api();
    renderSignedIn('/settings/productivity', 'MANAGER');
    const idle = await screen.findByLabelText('Tempo para considerar o agente ocioso');
    act(() => {
      lastSocket().serverEmit('productivity_settings_updated', { ...SETTINGS, idleTimeoutMinutes: 15 });
    });
    await waitFor(() => {
      expect(idle).toHaveValue(15);
    });
  });
});

describe('Settings → Minha atividade', () => {
  it('lists my sessions with totals, and their idle periods on demand', async () => {
    const fetch = mockApi({
      'GET /api/v1/activity/me': () => jsonResponse(activityMe()),
      'POST /api/v1/activity/active': () => jsonResponse(presence()),
      'GET /api/v1/activity/sessions': () =>
        jsonResponse({
          items: [
            {
              id: 'ws-1',
              agentId: 'me',
              loginAt: '2026-12-02T11:00:00Z',
              logoutAt: '2026-12-02T19:00:00Z',
              endReason: 'forced',
              totalSeconds: 28800,
              activeSeconds: 27300,
              idleSeconds: 1500,
              idlePeriods: [
                { startedAt: '2026-12-02T14:00:00Z', endedAt: '2026-12-02T14:15:00Z', seconds: 900, source: 'client' },
                { startedAt: '2026-12-02T16:00:00Z', endedAt: '2026-12-02T16:10:00Z', seconds: 600, source: 'server' },
              ],
            },
          ],
        }),
    });
    renderSignedIn('/settings/my-activity', 'AGENT');
    const row = await screen.findByTestId('session-row');
    expect(row).toHaveTextContent('08:00:00');
    expect(row).toHaveTextContent('07:35:00');
    expect(row).toHaveTextContent('00:25:00');
    expect(row).toHaveTextContent('Encerrada por inatividade');
    await userEvent.click(within(row).getByRole('button', { name: /2 períodos ociosos/ }));
    const periods = within(row).getByTestId('idle-periods');
    expect(within(periods).getAllByRole('listitem')).toHaveLength(2);
    expect(periods).toHaveTextContent('00:15:00');
    expect(periods).toHaveTextContent('sem sinal do navegador');
    const url = new URL(requestsTo(fetch, '/api/v1/activity/sessions', 'GET')[0]?.url ?? '', 'http://x');
    expect(url.searchParams.get('from')).toBeTruthy();
    expect(url.searchParams.get('to')).toBeTruthy();
    expect(url.searchParams.has('agentId')).toBe(false);
  });

  it('"O que é medido" explains it to everyone', async () => {
    mockApi({ 'GET /api/v1/activity/me': () => jsonResponse(activityMe()) });
    renderSignedIn('/settings/what-is-measured', 'AGENT');
    expect(await screen.findByRole('heading', { name: 'O que é medido' })).toBeInTheDocument();
    expect(screen.getByText('Nenhum registro das teclas digitadas (keylogging).')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ver minhas sessões' })).toHaveAttribute('href', '/settings/my-activity');
  });
});
