import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lastSocket } from '@/test/fakeSocket';
import { jsonResponse, mockApi, noContent, renderSignedIn, requestsTo, SESSION } from '@/test/utils';
import type { ActivityMe } from '../api/keys';
import { activityMe, presence, secondsAgo } from '@/test/presenceFixtures';

function api(me: ActivityMe = activityMe()) {
  return mockApi({
    'GET /api/v1/activity/me': () => jsonResponse(me),
    'POST /api/v1/activity/active': () => jsonResponse(presence({ since: new Date().toISOString(), reason: 'activity' })),
    'POST /api/v1/activity/idle': () => jsonResponse(presence({ status: 'IDLE', since: new Date().toISOString() })),
    'POST /api/v1/activity/heartbeat': () => jsonResponse(me.presence),
    'POST /api/v1/activity/notice': () => noContent(),
    'POST /api/v1/auth/logout': () => noContent(),
  });
}

const header = () => screen.findByTestId('presence-header');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('header: session timer and presence', () => {
  it('counts active time from the server numbers and tells the server the agent is here', async () => {
    const fetch = api();
    renderSignedIn('/inbox', 'AGENT');
    const h = await header();
    expect(within(h).getByTestId('presence-status')).toHaveTextContent('Ativo');
    const timer = within(h).getByTestId('session-timer');
    expect(timer).toHaveAttribute('data-running', 'true');
    // 3000 s up to `since`, plus the ~10 s since then.
    expect(Number(timer.getAttribute('data-seconds'))).toBeGreaterThanOrEqual(3010);
    expect(timer).toHaveTextContent(/00:50:1\d/);
    // The manual availability is shown apart from the measured presence.
    expect(within(h).getByTestId('presence-availability')).toHaveTextContent('Disponibilidade: Disponível');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/activity/active', 'POST').length).toBeGreaterThan(0);
    });
  });

  it('a hidden tab reports idle after a short grace; the badge turns Ocioso and the timer stops at the server total', async () => {
    const fetch = api();
    // The tab is in the background: nothing engages the user, so the tracker does not
    // re-assert ACTIVE when the server says IDLE.
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    renderSignedIn('/inbox', 'AGENT');
    const h = await header();
    await waitFor(
      () => {
        expect(requestsTo(fetch, '/api/v1/activity/idle', 'POST')).toHaveLength(1);
      },
      { timeout: 5_000 },
    );
    expect(requestsTo(fetch, '/api/v1/activity/active', 'POST')).toHaveLength(0);
    act(() => {
      lastSocket().serverEmit(
        'agent_status_update',
        presence({ status: 'IDLE', since: new Date(Date.now() + 1000).toISOString(), reason: 'client_idle', session: { id: 'ws-1', loginAt: secondsAgo(3600), activeSeconds: 3020, idleSeconds: 590 } }),
      );
    });
    await waitFor(() => {
      expect(within(h).getByTestId('presence-status')).toHaveTextContent('Ocioso');
    });
    const timer = within(h).getByTestId('session-timer');
    expect(timer).toHaveAttribute('data-running', 'false');
    expect(timer).toHaveTextContent('00:50:20');
  });

  it('shows Offline in grey when the server has no session', async () => {
    api(activityMe({ presence: presence({ status: 'OFFLINE', session: null }) }));
    renderSignedIn('/inbox', 'AGENT');
    const h = await header();
    expect(within(h).getByTestId('presence-status')).toHaveAttribute('data-status', 'OFFLINE');
    expect(within(h).getByTestId('session-timer')).toHaveTextContent('00:00:00');
  });

  it('ignores status updates of other agents', async () => {
    api();
    renderSignedIn('/inbox', 'MANAGER');
    const h = await header();
    act(() => {
      lastSocket().serverEmit('agent_status_update', presence({ agentId: 'someone-else', status: 'IDLE', since: new Date().toISOString() }));
    });
    expect(within(h).getByTestId('presence-status')).toHaveTextContent('Ativo');
  });
});

describe('first-login notice', () => {
  it('explains what is measured until acknowledged, then never again', async () => {
    const fetch = api(activityMe({ noticeAcknowledged: false }));
    renderSignedIn('/inbox', 'AGENT');
    const dialog = await screen.findByRole('alertdialog', { name: 'O que o Atende mede sobre o seu trabalho' });
    expect(within(dialog).getByText('Nenhuma captura de tela e nenhuma gravação de tela, câmera ou microfone.')).toBeInTheDocument();
    expect(within(dialog).getByText('Nenhum registro das teclas digitadas (keylogging).')).toBeInTheDocument();
    expect(within(dialog).getByText(/Nada fora do Atende/)).toBeInTheDocument();
    expect(within(dialog).getByText(/ocioso após 10 min/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Entendi' }));
    await waitFor(() => {
      expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    });
    expect(requestsTo(fetch, '/api/v1/activity/notice', 'POST')).toHaveLength(1);
  });
});

describe('auto-logout warning', () => {
  it('counts down to logoutAt; "Continuar ativo" tells the server and closes', async () => {
    const fetch = api();
    renderSignedIn('/inbox', 'AGENT');
    await header();
    const before = requestsTo(fetch, '/api/v1/activity/active', 'POST').length;
    act(() => {
      lastSocket().serverEmit('idle_warning', { logoutAt: new Date(Date.now() + 120_000).toISOString() });
    });
    const dialog = await screen.findByRole('alertdialog', { name: 'Você ainda está aí?' });
    expect(within(dialog).getByText(/sua sessão será encerrada em (02:00|01:59)/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continuar ativo' }));
    await waitFor(() => {
      expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    });
    expect(requestsTo(fetch, '/api/v1/activity/active', 'POST').length).toBeGreaterThan(before);
  });

  it('"Sair" signs out', async () => {
    const fetch = api();
    const { router } = renderSignedIn('/inbox', 'AGENT');
    await header();
    act(() => {
      lastSocket().serverEmit('idle_warning', { logoutAt: new Date(Date.now() + 60_000).toISOString() });
    });
    const dialog = await screen.findByRole('alertdialog', { name: 'Você ainda está aí?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sair' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/login');
    });
    expect(requestsTo(fetch, '/api/v1/auth/logout', 'POST')).toHaveLength(1);
  });

  it('force_logout from the server signs out at once and says why', async () => {
    api();
    const { router } = renderSignedIn('/inbox', 'AGENT');
    await header();
    act(() => {
      lastSocket().serverEmit('force_logout', { reason: 'access_revoked' });
    });
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/login');
    });
    expect(await screen.findByText(/Sua sessão foi encerrada \(inatividade/)).toBeInTheDocument();
    expect(SESSION.user.id).toBeTruthy();
  });
});
