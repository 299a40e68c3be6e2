import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { dispatchSocketEvent } from '@/lib/socket';
import { useSession } from '@/features/auth';
import { SESSION, apiError, jsonResponse, mockApi, requestsTo } from '@/test/utils';
import { registerPaymentsRealtime } from '../realtime';
import type { Charge } from '../api/keys';
import { ChargesSection } from './ChargesSection';

const CHARGE: Charge = {
  id: 'ch-1',
  asaasChargeId: 'pay_1',
  status: 'PENDING',
  value: '1234.56',
  dueDate: '2026-12-01',
  billingType: 'PIX',
  environment: 'sandbox',
  origin: 'atende',
  contactId: 'contact-1',
  conversationId: 'conv-1',
  createdAt: '2026-11-28T12:00:00Z',
  updatedAt: '2026-11-28T12:00:00Z',
  pixPayload: '00020126580014br.gov.bcb.pix',
  pixQrImage: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk',
};

function renderSection(charges: Charge[] = []) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const off = registerPaymentsRealtime(queryClient);
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <ChargesSection contactId="contact-1" conversationId="conv-1" />
    </QueryClientProvider>,
  );
  return { ...utils, queryClient, off, charges };
}

async function openDialog() {
  const u = userEvent.setup();
  await u.click(await screen.findByRole('button', { name: 'Gerar cobrança' }));
  const dialog = await screen.findByRole('dialog', { name: 'Gerar cobrança' });
  return { u, dialog };
}

describe('Gerar cobrança', () => {
  it('sends the amount as a two-decimal string and checks the CPF digits first', async () => {
    const api = mockApi({
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [], total: 0 }),
      'POST /api/v1/asaas/charges': (req) => jsonResponse({ asaasCharge: { ...CHARGE, ...(req.body as object), value: '1234.56' } }, { status: 201 }),
    });
    const { off } = renderSection();
    await screen.findByText('Nenhuma cobrança para este contato ainda.');
    const { u, dialog } = await openDialog();
    await u.type(within(dialog).getByLabelText(/Valor/), '1.234,56');
    await u.selectOptions(within(dialog).getByLabelText('Forma de pagamento'), 'BOLETO');
    await u.type(within(dialog).getByLabelText(/CPF ou CNPJ/), '123.456.789-00');
    await u.click(within(dialog).getByRole('button', { name: 'Gerar cobrança' }));
    expect(await within(dialog).findByText('CPF ou CNPJ inválido: confira os dígitos.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/asaas/charges', 'POST')).toHaveLength(0);

    await u.clear(within(dialog).getByLabelText(/CPF ou CNPJ/));
    await u.type(within(dialog).getByLabelText(/CPF ou CNPJ/), '123.456.789-09');
    await u.click(within(dialog).getByRole('button', { name: 'Gerar cobrança' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/asaas/charges', 'POST')).toHaveLength(1);
    });
    const body = requestsTo(api, '/api/v1/asaas/charges', 'POST')[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ contactId: 'contact-1', conversationId: 'conv-1', value: '1234.56', billingType: 'BOLETO', cpfCnpj: '12345678909' });
    expect(body.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    off();
  });

  it('refuses an amount it cannot read', async () => {
    mockApi({ 'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [], total: 0 }) });
    const { off } = renderSection();
    const { u, dialog } = await openDialog();
    await u.type(within(dialog).getByLabelText(/Valor/), '12,345');
    await u.click(within(dialog).getByRole('button', { name: 'Gerar cobrança' }));
    expect(await within(dialog).findByText(/Informe um valor maior que zero/)).toBeInTheDocument();
    off();
  });

  it.each([
    [apiError(409, 'asaas_not_configured'), /Um admin pode conectar o Asaas/],
    [apiError(422, 'asaas_rejected', 'O CPF/CNPJ informado é inválido.'), /O Asaas recusou a cobrança: O CPF\/CNPJ informado é inválido\./],
    [apiError(502, 'asaas_unavailable'), /Não foi possível falar com o Asaas/],
    [apiError(503, 'asaas_rate_limited', 'slow down', { 'Retry-After': '12' }), /Tente novamente em 12 s/],
  ])('shows the API error %#', async (response, text) => {
    mockApi({
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [], total: 0 }),
      'POST /api/v1/asaas/charges': () => response.clone(),
    });
    const { off } = renderSection();
    const { u, dialog } = await openDialog();
    await u.type(within(dialog).getByLabelText(/Valor/), '150');
    await u.click(within(dialog).getByRole('button', { name: 'Gerar cobrança' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(text);
    off();
  });

  it('puts validation_failed messages on their fields', async () => {
    mockApi({
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [], total: 0 }),
      'POST /api/v1/asaas/charges': () => apiError(422, 'validation_failed', 'invalid', {}, { cpfCnpj: ['is required for the first charge'] }),
    });
    const { off } = renderSection();
    const { u, dialog } = await openDialog();
    await u.type(within(dialog).getByLabelText(/Valor/), '150');
    await u.click(within(dialog).getByRole('button', { name: 'Gerar cobrança' }));
    expect(await within(dialog).findByText(/is required for the first charge/)).toBeInTheDocument();
    off();
  });
});

describe('charges in the contact panel', () => {
  it('lists charges, copies Pix, shows the QR and updates live on payment_update', async () => {
    const api = mockApi({
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [CHARGE], total: 1 }),
      'POST /api/v1/asaas/charges/ch-1/send': () => jsonResponse({ message: {} }, { status: 201 }),
      'DELETE /api/v1/asaas/charges/ch-1': () => jsonResponse({ asaasCharge: { ...CHARGE, status: 'DELETED' } }),
    });
    const { off } = renderSection();
    const u = userEvent.setup();
    const item = await screen.findByTestId('charge');
    expect(item).toHaveTextContent(/1\.234,56/);
    expect(within(item).getByText('Pendente')).toBeInTheDocument();

    await u.click(within(item).getByRole('button', { name: 'Copiar Pix copia e cola' }));
    expect(await navigator.clipboard.readText()).toBe(CHARGE.pixPayload);

    await u.click(within(item).getByRole('button', { name: 'Mostrar QR Code Pix' }));
    expect(within(item).getByRole('img', { name: /QR Code Pix/ })).toHaveAttribute('src', expect.stringMatching(/^data:image\/png;base64,/));

    await u.click(within(item).getByRole('button', { name: 'Enviar link ao cliente' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/asaas/charges/ch-1/send', 'POST')[0]?.body).toEqual({ conversationId: 'conv-1' });
    });

    dispatchSocketEvent('payment_update', { chargeId: 'ch-1', status: 'RECEIVED', contactId: 'contact-1', conversationId: 'conv-1' });
    expect(await within(item).findByText('Recebida')).toBeInTheDocument();
    expect(within(item).queryByRole('button', { name: 'Cancelar cobrança' })).not.toBeInTheDocument();
    off();
  });

  it('offers no cancel button to agents (managers and admins cancel)', async () => {
    useSession.getState().setSession({ ...SESSION, user: { ...SESSION.user, role: 'AGENT' } });
    mockApi({ 'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [CHARGE], total: 1 }) });
    const { off } = renderSection();
    const item = await screen.findByTestId('charge');
    expect(within(item).queryByRole('button', { name: 'Cancelar cobrança' })).toBeNull();
    off();
  });

  it('cancels a pending charge after confirming', async () => {
    useSession.getState().setSession({ ...SESSION, user: { ...SESSION.user, role: 'MANAGER' } });
    let status = 'PENDING';
    const api = mockApi({
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [{ ...CHARGE, status }], total: 1 }),
      'DELETE /api/v1/asaas/charges/ch-1': () => {
        status = 'DELETED';
        return jsonResponse({ asaasCharge: { ...CHARGE, status } });
      },
    });
    const { off } = renderSection();
    const u = userEvent.setup();
    const item = await screen.findByTestId('charge');
    await u.click(within(item).getByRole('button', { name: 'Cancelar cobrança' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Cancelar esta cobrança?' });
    await u.click(within(confirm).getByRole('button', { name: 'Cancelar cobrança' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/asaas/charges/ch-1', 'DELETE')).toHaveLength(1);
    });
    expect(await screen.findByText('Cancelada')).toBeInTheDocument();
    off();
  });
});
