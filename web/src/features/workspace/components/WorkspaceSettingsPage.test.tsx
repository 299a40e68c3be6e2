import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';

const SETTINGS = {
  timezone: 'America/Sao_Paulo',
  locale: 'pt-BR',
  idleTimeoutMinutes: 10,
  serverTimeoutSeconds: 90,
  autoLogout: false,
  autoLogoutGraceMinutes: 5,
  requireCategoryToResolve: false,
  agentVisibility: 'all',
  fcrWindowDays: 7,
  activityRetentionDays: 365,
};

function settingsApi(put?: Parameters<typeof mockApi>[0][string]) {
  let current = { ...SETTINGS };
  return mockApi({
    'GET /api/v1/settings': () => jsonResponse({ settings: current }),
    'PUT /api/v1/settings':
      put ??
      ((req) => {
        current = { ...current, ...(req.body as object) };
        return jsonResponse({ settings: current });
      }),
  });
}

describe('workspace settings form', () => {
  it('sends only the keys that changed', async () => {
    const api = settingsApi();
    const u = userEvent.setup();
    renderSignedIn('/settings/workspace');
    const fcr = await screen.findByLabelText('Janela de resolução no primeiro contato');
    expect(fcr).toHaveValue(7);
    const save = screen.getByRole('button', { name: 'Salvar alterações' });
    expect(save).toBeDisabled();

    await u.clear(fcr);
    await u.type(fcr, '15');
    await u.click(screen.getByRole('switch', { name: 'Exigir categoria para resolver conversas' }));
    await u.selectOptions(screen.getByLabelText('Idioma padrão'), 'en');
    await u.click(save);

    expect(await screen.findByText('Configurações do espaço de trabalho salvas.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/settings', 'PUT')[0]?.body).toEqual({
      fcrWindowDays: 15,
      requireCategoryToResolve: true,
      locale: 'en',
    });
    await waitFor(() => {
      expect(screen.getByRole('button', { name: 'Salvar alterações' })).toBeDisabled();
    });
  });

  it('does not send a value that went back to what was saved', async () => {
    const api = settingsApi();
    const u = userEvent.setup();
    renderSignedIn('/settings/workspace');
    const fcr = await screen.findByLabelText('Janela de resolução no primeiro contato');
    await u.clear(fcr);
    await u.type(fcr, '30');
    const retention = screen.getByLabelText('Guardar dados de atividade por');
    await u.clear(retention);
    await u.type(retention, '8');
    await u.clear(retention);
    await u.type(retention, '365');
    await u.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    await screen.findByText('Configurações do espaço de trabalho salvas.');
    expect(requestsTo(api, '/api/v1/settings', 'PUT').map((r) => r.body)).toEqual([{ fcrWindowDays: 30 }]);
  });

  it('checks ranges before sending and shows server validation inline', async () => {
    const api = settingsApi(() =>
      apiError(422, 'validation_failed', 'x', {}, { timezone: ['not an IANA time zone such as America/Sao_Paulo'] }),
    );
    const u = userEvent.setup();
    renderSignedIn('/settings/workspace');
    const fcr = await screen.findByLabelText('Janela de resolução no primeiro contato');
    await u.clear(fcr);
    await u.type(fcr, '0');
    await u.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    expect(await screen.findByText('Informe um número inteiro entre 1 e 90.')).toBeInTheDocument();
    expect(fcr).toHaveAttribute('aria-invalid', 'true');
    expect(requestsTo(api, '/api/v1/settings', 'PUT')).toHaveLength(0);

    await u.clear(fcr);
    await u.type(fcr, '30');
    await u.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    expect(
      await screen.findByText('Valor não aceito pelo servidor (not an IANA time zone such as America/Sao_Paulo).'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Fuso horário')).toHaveAttribute('aria-invalid', 'true');
    expect(requestsTo(api, '/api/v1/settings', 'PUT')[0]?.body).toEqual({ fcrWindowDays: 30 });
  });

  it('points to Settings → Productivity for the idle timeout and auto-logout (and never sends them)', async () => {
    settingsApi();
    renderSignedIn('/settings/workspace');
    expect(await screen.findByRole('link', { name: 'Configurações → Produtividade' })).toHaveAttribute('href', '/settings/productivity');
    expect(screen.queryByLabelText('Tempo até ficar ocioso')).not.toBeInTheDocument();
  });

  it('lets the admin choose what agents see', async () => {
    const api = settingsApi();
    const u = userEvent.setup();
    renderSignedIn('/settings/workspace');
    const visibility = await screen.findByLabelText('O que os agentes veem');
    expect(visibility).toHaveValue('all');
    expect([...(visibility as HTMLSelectElement).options].map((o) => o.text)).toEqual([
      'Todas as conversas',
      'As das suas equipes e as sem fila',
      'Só as atribuídas a eles',
    ]);
    await u.selectOptions(visibility, 'Só as atribuídas a eles');
    await u.click(screen.getByRole('button', { name: 'Salvar alterações' }));
    await screen.findByText('Configurações do espaço de trabalho salvas.');
    expect(requestsTo(api, '/api/v1/settings', 'PUT').map((r) => r.body)).toEqual([{ agentVisibility: 'own' }]);
  });

  it('is read-only for managers', async () => {
    settingsApi();
    renderSignedIn('/settings/workspace', 'MANAGER');
    expect(await screen.findByLabelText('Janela de resolução no primeiro contato')).toBeDisabled();
    expect(screen.getByLabelText('O que os agentes veem')).toBeDisabled();
    expect(screen.getByText(/só administradores podem fazer alterações/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Salvar alterações' })).not.toBeInTheDocument();
  });
});
