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

  it('refuses what is not an Asaas key and tests a key before saving it', async () => {
    let answer: Response = jsonResponse({ environment: 'sandbox', accountName: 'Loja da Maria LTDA', email: 'f@loja.com', status: 'APPROVED' });
    const api = mockApi({
      'GET /api/v1/asaas/settings': () => jsonResponse({ asaasSettings: UNSET }),
      'POST /api/v1/asaas/settings/test': () => answer,
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/asaas');
    const form = await screen.findByRole('form', { name: 'Asaas' });
    await u.click(within(form).getByRole('button', { name: 'Testar conexão' }));
    expect(await within(form).findByText('Informe uma chave (ou salve uma) para testar.')).toBeInTheDocument();
    await u.type(within(form).getByLabelText('Chave de API'), 'sk_live_123');
    await u.click(within(form).getByRole('button', { name: 'Salvar' }));
    expect(await within(form).findByText('Esta não parece uma chave do Asaas: ela começa com $aact_.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/asaas/settings', 'PUT')).toHaveLength(0);

    await u.clear(within(form).getByLabelText('Chave de API'));
    await u.type(within(form).getByLabelText('Chave de API'), '$aact_hmlg_abc');
    await u.click(within(form).getByRole('button', { name: 'Testar conexão' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Conectado à conta Loja da Maria LTDA (Sandbox (testes)).');
    expect(requestsTo(api, '/api/v1/asaas/settings/test', 'POST')[0]?.body).toEqual({ environment: 'sandbox', apiKey: '$aact_hmlg_abc' });

    answer = jsonResponse({ error: { code: 'asaas_auth_failed', message: 'refused' } }, { status: 422 });
    await u.click(within(form).getByRole('button', { name: 'Testar conexão' }));
    expect(await within(form).findByText(/O Asaas recusou esta chave no ambiente escolhido/)).toBeInTheDocument();
  });

  it('is admin-only', async () => {
    mockApi({ 'GET /api/v1/channels': () => jsonResponse({ channels: [] }) });
    renderSignedIn('/settings/asaas', 'MANAGER');
    expect(await screen.findByRole('heading', { name: 'Meu perfil' })).toBeInTheDocument();
  });
});
