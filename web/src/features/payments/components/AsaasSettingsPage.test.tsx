import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';

const UNSET = { configured: false, environment: 'sandbox', hasApiKey: false, apiBaseUrl: 'https://api-sandbox.asaas.com/v3', webhookUrl: null, webhookToken: null, updatedAt: null };
const SET = { ...UNSET, configured: true, hasApiKey: true, webhookUrl: 'https://atende.example/webhooks/asaas/abc', webhookToken: 'whsec_123', updatedAt: '2026-11-28T12:00:00Z' };

describe('Settings → Asaas', () => {
  it('asks for the key the first time, then shows it as configured with the webhook to copy', async () => {
    const api = mockApi({
      'GET /api/v1/asaas/settings': () => jsonResponse({ asaasSettings: UNSET }),
      'PUT /api/v1/asaas/settings': () => jsonResponse({ asaasSettings: SET }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/asaas');
    const form = await screen.findByRole('form', { name: 'Asaas' });
    expect(within(form).getByText('Não configurado')).toBeInTheDocument();
    await u.click(within(form).getByRole('button', { name: 'Salvar' }));
    expect(await within(form).findByText('Informe a chave de API.')).toBeInTheDocument();
    await u.type(within(form).getByLabelText('Chave de API'), '$aact_abc');
    await u.selectOptions(within(form).getByLabelText('Ambiente'), 'production');
    await u.click(within(form).getByRole('button', { name: 'Salvar' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/asaas/settings', 'PUT')[0]?.body).toEqual({ environment: 'production', apiKey: '$aact_abc' });
    });
    expect(await screen.findByText('Configurado')).toBeInTheDocument();
    expect(screen.getByDisplayValue('https://atende.example/webhooks/asaas/abc')).toBeInTheDocument();
    expect(screen.getByDisplayValue('whsec_123')).toBeInTheDocument();
    expect(screen.getByLabelText('Nova chave (opcional)')).toHaveValue('');
  });

  it('is admin-only', async () => {
    mockApi({ 'GET /api/v1/channels': () => jsonResponse({ channels: [] }) });
    renderSignedIn('/settings/asaas', 'MANAGER');
    expect(await screen.findByRole('heading', { name: 'Meu perfil' })).toBeInTheDocument();
  });
});
