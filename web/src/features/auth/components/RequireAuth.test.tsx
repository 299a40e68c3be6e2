import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SESSION, apiError, jsonResponse, mockFetch, renderApp, renderSignedIn } from '@/test/utils';

describe('protected app', () => {
  it('restores the session from /auth/me', async () => {
    const fetch = mockFetch((url) => (url.endsWith('/auth/me') ? jsonResponse(SESSION) : apiError(404, 'not_found')));
    renderApp('/dashboard');
    expect(await screen.findByText('Ana Souza')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Painel da equipe' })).toBeInTheDocument();
    expect(fetch.requests[0]?.credentials).toBe('include');
  });

  it('sends a signed-out visitor to /login?next=<where they were>', async () => {
    mockFetch(() => apiError(401, 'unauthorized'));
    const { router } = renderApp('/contacts?q=ana');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/login');
    });
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/contacts?q=ana')}`);
  });

  it('logs out and returns to the login page', async () => {
    const fetch = mockFetch((url) => {
      if (url.endsWith('/auth/me')) return jsonResponse(SESSION);
      if (url.endsWith('/auth/logout')) return new Response(null, { status: 204 });
      return apiError(404, 'not_found');
    });
    const { router } = renderApp('/inbox');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sair' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/login');
    });
    const logoutCall = fetch.requests.find((r) => r.url.endsWith('/auth/logout'));
    expect(logoutCall?.method).toBe('POST');
    expect(logoutCall?.credentials).toBe('include');
  });

  it('sends the user to /login when any request finds the session gone', async () => {
    mockFetch(() => apiError(401, 'unauthorized'));
    const { router } = renderSignedIn('/settings/users');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/login');
    });
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/settings/users')}`);
  });
});
