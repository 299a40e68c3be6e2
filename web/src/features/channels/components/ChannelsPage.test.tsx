import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lastSocket } from '@/test/fakeSocket';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';
import type { Channel, ChannelType } from '../api/keys';

function channel(overrides: Partial<Channel> = {}): Channel {
  return {
    id: 'ch-1',
    type: 'API',
    name: 'Site',
    webhookUrl: 'http://localhost/webhooks/api/ch-1',
    enabled: true,
    connectionStatus: 'connected',
    hasCredentials: false,
    createdAt: '2026-11-28T12:00:00Z',
    ...overrides,
  };
}

const CASES: [ChannelType, string, Record<string, string>, Record<string, unknown>][] = [
  ['API', 'Canal de API', { 'URL de callback': 'https://example.com/hook' }, { type: 'API', name: 'Meu canal', callbackUrl: 'https://example.com/hook' }],
  [
    'WHATSAPP_TWILIO',
    'WhatsApp (Twilio)',
    { 'Account SID': 'AC123', 'Número do WhatsApp': '+5511999990000', 'Auth Token': 'tok' },
    { type: 'WHATSAPP_TWILIO', name: 'Meu canal', accountId: 'AC123', phoneNumber: '+5511999990000', credentials: { authToken: 'tok' } },
  ],
  [
    'WHATSAPP_ZAPI',
    'WhatsApp (Z-API)',
    { 'ID da instância': 'INST1', 'Token da instância': 'itok', 'Client-Token': 'ctok' },
    { type: 'WHATSAPP_ZAPI', name: 'Meu canal', accountId: 'INST1', credentials: { instanceToken: 'itok', clientToken: 'ctok' } },
  ],
  [
    'FACEBOOK_MESSENGER',
    'Messenger',
    { 'ID da Página': '1001', 'Token de acesso da Página': 'pat', 'App Secret': 'sec', 'Token de verificação': 'vt' },
    { type: 'FACEBOOK_MESSENGER', name: 'Meu canal', accountId: '1001', credentials: { pageAccessToken: 'pat', appSecret: 'sec', verifyToken: 'vt' } },
  ],
  [
    'INSTAGRAM',
    'Instagram',
    { 'ID da conta do Instagram': '1789', 'Token de acesso da Página': 'pat', 'App Secret': 'sec', 'Token de verificação': 'vt' },
    { type: 'INSTAGRAM', name: 'Meu canal', accountId: '1789', credentials: { pageAccessToken: 'pat', appSecret: 'sec', verifyToken: 'vt' } },
  ],
];

describe('Settings → Channels', () => {
  it.each(CASES)('creates a %s channel with the right body', async (type, label, fields, expected) => {
    const api = mockApi({
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
      'POST /api/v1/channels': () =>
        jsonResponse({ channel: channel({ type, name: 'Meu canal' }), webhookSecret: type === 'API' ? 's3cr3t-once' : null }, { status: 201 }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/channels');
    await screen.findByText('Nenhum canal conectado ainda.');
    await u.click(screen.getAllByRole('button', { name: 'Novo canal' })[0] as HTMLElement);
    const dialog = await screen.findByRole('dialog', { name: 'Novo canal' });
    await u.click(within(dialog).getByRole('radio', { name: new RegExp(label.replace(/[()]/g, '\\$&')) }));
    await u.type(within(dialog).getByLabelText(/^Nome/), 'Meu canal');
    for (const [name, value] of Object.entries(fields)) await u.type(within(dialog).getByLabelText(new RegExp(`^${name.replace(/[()+]/g, '\\$&')}`)), value);
    await u.click(within(dialog).getByRole('button', { name: 'Criar canal' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/channels', 'POST')).toHaveLength(1);
    });
    expect(requestsTo(api, '/api/v1/channels', 'POST')[0]?.body).toEqual(expected);
    const done = await screen.findByTestId('channel-created');
    expect(within(done).getByDisplayValue('http://localhost/webhooks/api/ch-1')).toBeInTheDocument();
    if (type === 'API') {
      expect(within(done).getByDisplayValue('s3cr3t-once')).toBeInTheDocument();
      expect(within(done).getByText(/não será exibido de novo/)).toBeInTheDocument();
    }
  });

  it('validates required fields before sending', async () => {
    const api = mockApi({ 'GET /api/v1/channels': () => jsonResponse({ channels: [] }) });
    const u = userEvent.setup();
    renderSignedIn('/settings/channels');
    await u.click((await screen.findAllByRole('button', { name: 'Novo canal' }))[0] as HTMLElement);
    const dialog = await screen.findByRole('dialog', { name: 'Novo canal' });
    await u.click(within(dialog).getByRole('radio', { name: /WhatsApp \(Twilio\)/ }));
    await u.type(within(dialog).getByLabelText(/^Account SID/), 'XX1');
    await u.click(within(dialog).getByRole('button', { name: 'Criar canal' }));
    expect(await within(dialog).findByText('Começa com AC.')).toBeInTheDocument();
    expect(within(dialog).getByText('Informe o número ou o Messaging Service SID.')).toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/channels', 'POST')).toHaveLength(0);
  });

  it('edits without resending credentials unless typed', async () => {
    const api = mockApi({
      'GET /api/v1/channels': () => jsonResponse({ channels: [channel({ type: 'WHATSAPP_ZAPI', name: 'Zap', accountId: 'INST1', hasCredentials: true })] }),
      'PATCH /api/v1/channels/ch-1': () => jsonResponse({ channel: channel({ name: 'Zap 2' }) }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/channels');
    await u.click(await screen.findByRole('button', { name: 'Editar: Zap' }));
    const dialog = await screen.findByRole('dialog', { name: 'Editar canal' });
    await u.clear(within(dialog).getByLabelText(/^Nome/));
    await u.type(within(dialog).getByLabelText(/^Nome/), 'Zap 2');
    await u.click(within(dialog).getByRole('switch', { name: 'Canal ativo' }));
    await u.click(within(dialog).getByRole('button', { name: 'Salvar alterações' }));
    await waitFor(() => {
      expect(requestsTo(api, '/api/v1/channels/ch-1', 'PATCH')[0]?.body).toEqual({ name: 'Zap 2', enabled: false });
    });
  });

  it('managers only read', async () => {
    mockApi({ 'GET /api/v1/channels': () => jsonResponse({ channels: [channel()] }) });
    renderSignedIn('/settings/channels', 'MANAGER');
    await screen.findByText('Site');
    expect(screen.getByText(/só administradores podem fazer alterações/i)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Novo canal' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Editar: Site' })).not.toBeInTheDocument();
  });
});

describe('Z-API connect', () => {
  it('shows the QR and switches to connected on channel_status', async () => {
    const api = mockApi({
      'GET /api/v1/channels': () => jsonResponse({ channels: [channel({ type: 'WHATSAPP_ZAPI', name: 'Zap', connectionStatus: 'qr_pending', hasCredentials: true })] }),
      'POST /api/v1/channels/ch-1/qr-code': () => jsonResponse({ connectionStatus: 'qr_pending', qrCode: 'data:image/png;base64,AAAA' }),
      'POST /api/v1/channels/ch-1/connection': () => jsonResponse({ connectionStatus: 'qr_pending', connected: false, smartphoneConnected: false, error: 'You are not connected.' }),
    });
    const u = userEvent.setup();
    renderSignedIn('/settings/channels');
    lastSocket().connect();
    await u.click(await screen.findByRole('button', { name: 'Conectar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conectar WhatsApp — Zap' });
    expect(await within(dialog).findByRole('img', { name: 'QR Code para conectar o WhatsApp' })).toHaveAttribute('src', 'data:image/png;base64,AAAA');
    expect(within(dialog).getByTestId('zapi-connect')).toHaveAttribute('data-connected', 'false');

    lastSocket().serverEmit('channel_status', { channelId: 'ch-1', type: 'WHATSAPP_ZAPI', name: 'Zap', connectionStatus: 'connected', detail: null });
    expect(await within(dialog).findByText('WhatsApp conectado!')).toBeInTheDocument();
    expect(within(dialog).queryByRole('img', { name: 'QR Code para conectar o WhatsApp' })).not.toBeInTheDocument();
    expect(requestsTo(api, '/api/v1/channels/ch-1/qr-code', 'POST').length).toBeGreaterThan(0);
  });
});
