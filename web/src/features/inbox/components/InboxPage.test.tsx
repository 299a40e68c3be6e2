import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lastSocket } from '@/test/fakeSocket';
import { CHANNEL, conversation, message, ME, reply } from '@/test/inboxFixtures';
import { apiError, jsonResponse, mockApi, noContent, renderSignedIn, requestsTo, type SeenRequest } from '@/test/utils';
import type { Conversation, Message } from '../api/keys';

const C1 = conversation({
  id: 'c1',
  contact: { id: 'contact-c1', name: 'Maria Silva', phone: '+5511999990001', email: 'maria@example.com' },
  lastActivityAt: '2026-11-28T12:05:00Z',
  unreadCount: 0,
});
const C2 = conversation({
  id: 'c2',
  contact: { id: 'contact-c2', name: 'João Pereira', phone: null, email: null },
  lastActivityAt: '2026-11-28T12:01:00Z',
  lastMessagePreview: 'Bom dia',
});

interface Api {
  conversations?: Conversation[];
  messages?: Message[];
  send?: (req: SeenRequest) => Response | Promise<Response>;
}

function api({ conversations = [C1, C2], messages = [], send }: Api = {}) {
  return mockApi({
    'GET /api/v1/conversations': (req) =>
      req.url.includes('unread=true')
        ? jsonResponse({ conversations: [], total: 0 })
        : jsonResponse({ conversations, total: conversations.length }),
    'GET /api/v1/conversations/c1': () => jsonResponse({ conversation: C1 }),
    'GET /api/v1/conversations/c2': () => jsonResponse({ conversation: C2 }),
    'GET /api/v1/messages': (req) =>
      jsonResponse({ messages: req.url.includes('conversationId=c1') ? messages : [], nextCursor: null }),
    'POST /api/v1/conversations/c1/read': () => noContent(),
    'POST /api/v1/conversations/c2/read': () => noContent(),
    'GET /api/v1/channels': () =>
      jsonResponse({
        channels: [{ ...CHANNEL, webhookUrl: '/webhooks/api/ch-1', connectionStatus: 'connected', createdAt: C1.createdAt, enabled: true, hasCredentials: false }],
      }),
    'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }),
    'GET /api/v1/teams': () => jsonResponse({ teams: [] }),
    'GET /api/v1/canned-responses': (req) =>
      jsonResponse({
        cannedResponses: req.url.includes('search=ola')
          ? [
              { id: 'cr1', shortCode: 'ola', content: 'Olá {{contact.name}}, aqui é {{agent.name}}!', createdAt: C1.createdAt, updatedAt: C1.createdAt },
              { id: 'cr2', shortCode: 'olaprazo', content: 'O prazo é de 3 dias.', createdAt: C1.createdAt, updatedAt: C1.createdAt },
            ]
          : [],
      }),
    'POST /api/v1/messages': (req) => (send ? send(req) : apiError(500, 'internal_error')),
    'POST /api/v1/messages/r2/retry': () => jsonResponse({ message: reply({ id: 'r2', conversationId: 'c1', content: 'Boleto', status: 'PENDING' }) }),
  });
}

const rows = () => screen.getAllByTestId('conversation-row');
const bubbles = (text: string) => screen.queryAllByTestId('message').filter((m) => m.textContent.includes(text));
const composer = () => screen.getByRole('combobox', { name: 'Resposta ao cliente' });

beforeEach(() => {
  // happy-dom has no layout: give the virtualized list a viewport.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

describe('inbox realtime', () => {
  it('a new_message shows in the open conversation, and another conversation jumps to the top with an unread badge', async () => {
    const fetch = api({ messages: [message({ id: 'm1', conversationId: 'c1', content: 'Olá, tudo bem?' })] });
    renderSignedIn('/inbox/c1?tab=all');
    expect(await screen.findByText('Olá, tudo bem?')).toBeInTheDocument();
    await waitFor(() => {
      expect(rows()).toHaveLength(2);
    });
    act(() => {
      lastSocket().connect();
    });
    expect(screen.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');

    act(() => {
      lastSocket().serverEmit('new_message', message({ id: 'm2', conversationId: 'c1', content: 'Chegou agora', createdAt: '2026-11-28T12:06:00Z' }));
    });
    expect(await screen.findByText('Chegou agora')).toBeInTheDocument();
    // Open and visible: read at once, so no badge, and the server is told.
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/c1/read', 'POST').length).toBeGreaterThanOrEqual(2);
    });

    act(() => {
      lastSocket().serverEmit('new_message', message({ id: 'm3', conversationId: 'c2', content: 'Alguém aí?', createdAt: '2026-11-28T12:07:00Z' }));
    });
    await waitFor(() => {
      expect(rows()[0]).toHaveTextContent('João Pereira');
    });
    const top = rows()[0] as HTMLElement;
    expect(top).toHaveTextContent('Alguém aí?');
    expect(within(top).getByTestId('unread-badge')).toHaveTextContent('1');
    expect(within(rows()[1] as HTMLElement).queryByTestId('unread-badge')).toBeNull();
  });

  it('message_status_update turns the tick from pending to sent to read', async () => {
    api({ messages: [reply({ id: 'r1', conversationId: 'c1', content: 'Já verifico', status: 'PENDING' })] });
    renderSignedIn('/inbox/c1?tab=all');
    expect(await screen.findByRole('img', { name: 'Enviando' })).toBeInTheDocument();
    act(() => {
      lastSocket().serverEmit('message_status_update', { id: 'r1', conversationId: 'c1', status: 'SENT' });
    });
    expect(await screen.findByRole('img', { name: 'Enviada' })).toBeInTheDocument();
    act(() => {
      lastSocket().serverEmit('message_status_update', { id: 'r1', conversationId: 'c1', status: 'READ' });
    });
    expect(await screen.findByRole('img', { name: 'Lida' })).toBeInTheDocument();
  });

  it('reconnecting refetches what may have been missed', async () => {
    const fetch = api();
    renderSignedIn('/inbox?tab=all');
    await waitFor(() => {
      expect(rows()).toHaveLength(2);
    });
    act(() => {
      lastSocket().connect();
    });
    const before = requestsTo(fetch, '/api/v1/conversations', 'GET').length;
    act(() => {
      lastSocket().fire('disconnect', 'transport close');
    });
    expect(screen.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
    expect(screen.getByText('Reconectando…')).toBeInTheDocument();
    act(() => {
      lastSocket().connect();
    });
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations', 'GET').length).toBeGreaterThan(before);
    });
  });
});

describe('optimistic send', () => {
  it('shows the reply at once as pending and reconciles it with the server message (socket echo first)', async () => {
    let release: (r: Response) => void = () => undefined;
    const fetch = api({
      send: () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
    });
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    await user.type(await screen.findByRole('combobox', { name: 'Resposta ao cliente' }), 'Oi Maria{Enter}');

    expect(composer()).toHaveValue('');
    expect(bubbles('Oi Maria')).toHaveLength(1);
    expect(within(bubbles('Oi Maria')[0] as HTMLElement).getByRole('img', { name: 'Enviando' })).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')[0]?.body).toEqual({ conversationId: 'c1', content: 'Oi Maria', isPrivate: false });

    // The socket echo arrives before the POST's answer: still one bubble.
    const server = reply({ id: 'srv-1', conversationId: 'c1', content: 'Oi Maria', createdAt: '2026-11-28T12:10:00Z' });
    act(() => {
      lastSocket().serverEmit('new_message', server);
    });
    await waitFor(() => {
      expect(bubbles('Oi Maria')[0]).toHaveAttribute('data-message-id', 'srv-1');
    });
    expect(bubbles('Oi Maria')).toHaveLength(1);

    act(() => {
      release(jsonResponse({ message: server }, { status: 201 }));
    });
    act(() => {
      lastSocket().serverEmit('message_status_update', { id: 'srv-1', conversationId: 'c1', status: 'SENT' });
    });
    await waitFor(() => {
      expect(within(bubbles('Oi Maria')[0] as HTMLElement).getByRole('img', { name: 'Enviada' })).toBeInTheDocument();
    });
    expect(bubbles('Oi Maria')).toHaveLength(1);
  });

  it('turns a failed send into a retry button that sends it again', async () => {
    let calls = 0;
    const fetch = api({
      send: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new TypeError('Failed to fetch'))
          : jsonResponse({ message: reply({ id: 'srv-2', conversationId: 'c1', content: 'Tente de novo' }) }, { status: 201 });
      },
    });
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    await user.type(await screen.findByRole('combobox', { name: 'Resposta ao cliente' }), 'Tente de novo{Enter}');

    const failed = await screen.findByRole('alert');
    expect(failed).toHaveTextContent('Não enviada: Sem conexão com o servidor.');
    expect(bubbles('Tente de novo')[0]).toHaveAttribute('data-status', 'FAILED');

    await user.click(screen.getByRole('button', { name: 'Tentar novamente' }));
    await waitFor(() => {
      expect(bubbles('Tente de novo')[0]).toHaveAttribute('data-message-id', 'srv-2');
    });
    expect(bubbles('Tente de novo')).toHaveLength(1);
    expect(bubbles('Tente de novo')[0]).toHaveAttribute('data-status', 'PENDING');
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(2);
  });

  it('retries a message the server failed to deliver, with the reason translated and the detail behind a toggle', async () => {
    const fetch = api({
      messages: [
        reply({
          id: 'r2',
          conversationId: 'c1',
          content: 'Boleto',
          status: 'FAILED',
          failureCode: 'provider_rejected',
          failureReason: 'callback answered 400',
          deliveryAttempts: 1,
        }),
      ],
    });
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    expect(await screen.findByText('Não enviada: o provedor recusou a mensagem')).toBeInTheDocument();
    expect(screen.queryByText('callback answered 400')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'detalhes' }));
    expect(screen.getByText('callback answered 400')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Tentar novamente' }));
    await waitFor(() => {
      expect(bubbles('Boleto')[0]).toHaveAttribute('data-status', 'PENDING');
    });
    expect(requestsTo(fetch, '/api/v1/messages/r2/retry', 'POST')).toHaveLength(1);
  });

  it('shows a message being retried as "tentando de novo (n de 6)"', async () => {
    api({
      messages: [
        reply({
          id: 'r3',
          conversationId: 'c1',
          content: 'Segue o link',
          status: 'PENDING',
          failureCode: 'provider_unavailable',
          failureReason: 'temporary provider failure: callback answered 503',
          deliveryAttempts: 1,
        }),
      ],
    });
    renderSignedIn('/inbox/c1?tab=all');
    expect(await screen.findByText('Tentando de novo (2 de 6)…')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Tentar novamente' })).not.toBeInTheDocument();
  });
});

describe('composer', () => {
  it('sends on Enter and breaks the line on Shift+Enter', async () => {
    const fetch = api({ send: (req) => jsonResponse({ message: reply({ id: 's', conversationId: 'c1', content: (req.body as { content: string }).content }) }, { status: 201 }) });
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    const box = await screen.findByRole('combobox', { name: 'Resposta ao cliente' });
    await user.type(box, 'linha 1{Shift>}{Enter}{/Shift}linha 2');
    expect(box).toHaveValue('linha 1\nlinha 2');
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(0);
    await user.keyboard('{Enter}');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(1);
    });
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')[0]?.body).toMatchObject({ content: 'linha 1\nlinha 2' });
    expect(box).toHaveValue('');
  });

  it('sends a private note when the note toggle is on', async () => {
    const fetch = api({ send: () => jsonResponse({ message: reply({ id: 'n', conversationId: 'c1', content: 'só equipe', isPrivate: true, status: 'SENT' }) }, { status: 201 }) });
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    await user.click(await screen.findByRole('button', { name: 'Nota privada' }));
    await user.type(screen.getByRole('combobox', { name: 'Escreva uma nota para a equipe…' }), 'só equipe{Enter}');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/messages', 'POST')[0]?.body).toMatchObject({ isPrivate: true, content: 'só equipe' });
    });
    await waitFor(() => {
      expect(bubbles('só equipe')[0]).toHaveAttribute('data-kind', 'note');
    });
  });

  it('opens the canned responses on "/", picks with the keyboard and fills the variables', async () => {
    const fetch = api();
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    const box = await screen.findByRole('combobox', { name: 'Resposta ao cliente' });
    await user.type(box, '/ola');
    const list = await screen.findByRole('listbox', { name: 'Respostas prontas' });
    await waitFor(() => {
      expect(within(list).getAllByRole('option')).toHaveLength(2);
    });
    expect(requestsTo(fetch, '/api/v1/canned-responses').some((r) => r.url.includes('search=ola'))).toBe(true);
    expect(within(list).getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');

    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect(box).toHaveValue('Olá Maria Silva, aqui é Ana Souza!');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(0);

    // Escape closes the picker without touching the text.
    await user.type(box, ' /ola');
    await screen.findByRole('listbox');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box).toHaveValue('Olá Maria Silva, aqui é Ana Souza! /ola');
  });
});

describe('conversation list', () => {
  it('maps the tabs and the status filter to the query', async () => {
    const fetch = api();
    const user = userEvent.setup();
    const { router } = renderSignedIn('/inbox');
    const lastQuery = () => {
      const lists = requestsTo(fetch, '/api/v1/conversations', 'GET').filter((r) => !r.url.includes('unread=true'));
      return new URL(lists[lists.length - 1]?.url ?? '', 'http://x').searchParams;
    };
    await waitFor(() => {
      expect(lastQuery().get('agentId')).toBe('me');
    });
    expect(lastQuery().get('status')).toBe('OPEN');
    expect(screen.getByRole('tab', { name: 'Minhas' })).toHaveAttribute('aria-selected', 'true');

    await user.click(screen.getByRole('tab', { name: 'Não atribuídas' }));
    await waitFor(() => {
      expect(lastQuery().get('agentId')).toBe('none');
    });
    await user.click(screen.getByRole('tab', { name: 'Todas' }));
    await waitFor(() => {
      expect(lastQuery().get('agentId')).toBe('all');
    });
    expect(router.state.location.search).toContain('tab=all');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Situação' }), 'PENDING');
    await waitFor(() => {
      expect(lastQuery().get('status')).toBe('PENDING');
    });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Situação' }), 'ALL');
    await waitFor(() => {
      expect(lastQuery().has('status')).toBe(false);
    });
    expect(lastQuery().get('agentId')).toBe('all');
    // The tab is remembered for the next visit.
    expect(localStorage.getItem('atende.inbox.tab')).toBe('all');
  });

  it('says what to do when there are no channels yet', async () => {
    mockApi({
      'GET /api/v1/conversations': () => jsonResponse({ conversations: [], total: 0 }),
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
    });
    renderSignedIn('/inbox');
    expect(await screen.findByText('Nenhum canal conectado ainda')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Abrir Configurações' })).toBeInTheDocument();
  });

  it('resolves the selected conversations in bulk', async () => {
    const fetch = mockApi({
      'GET /api/v1/conversations': () => jsonResponse({ conversations: [C1, C2], total: 2 }),
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
      'POST /api/v1/conversations/bulk': () => jsonResponse({ updated: 2, succeeded: ['c1', 'c2'], failed: [] }),
    });
    const user = userEvent.setup();
    renderSignedIn('/inbox?tab=all');
    await user.click(await screen.findByRole('checkbox', { name: 'Selecionar conversa com Maria Silva' }));
    await user.click(screen.getByRole('checkbox', { name: 'Selecionar conversa com João Pereira' }));
    expect(screen.getByText('2 selecionadas')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resolver' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/bulk', 'POST')[0]?.body).toEqual({
        ids: ['c1', 'c2'],
        action: { type: 'status', status: 'RESOLVED' },
      });
    });
    expect(await screen.findByText('2 conversas resolvidas.')).toBeInTheDocument();
  });
});

describe('assignment from the conversation', () => {
  const held = { ...C1, assignee: { id: 'u-carla', name: 'Carla' } };
  const heldApi = (send: (req: SeenRequest) => Response) =>
    mockApi({
      'GET /api/v1/conversations': () => jsonResponse({ conversations: [held], total: 1 }),
      'GET /api/v1/conversations/c1': () => jsonResponse({ conversation: held }),
      'GET /api/v1/messages': () => jsonResponse({ messages: [], nextCursor: null }),
      'POST /api/v1/conversations/c1/read': () => noContent(),
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
      'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }),
      'GET /api/v1/teams': () => jsonResponse({ teams: [] }),
      'GET /api/v1/canned-responses': () => jsonResponse({ cannedResponses: [] }),
      'PATCH /api/v1/conversations/c1': () => jsonResponse({ conversation: { ...held, assignee: { id: ME.id, name: ME.name } } }),
      'POST /api/v1/messages': send,
    });

  it('"Atribuir a mim" takes the conversation', async () => {
    const fetch = heldApi(() => apiError(500, 'internal_error'));
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    await user.click(await screen.findByRole('button', { name: 'Atribuir a mim' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/conversations/c1', 'PATCH')[0]?.body).toEqual({ agentId: ME.id });
    });
  });

  it('asks before replying in a conversation someone else holds, once', async () => {
    const fetch = heldApi((req) =>
      jsonResponse({ message: reply({ id: 's', conversationId: 'c1', content: (req.body as { content: string }).content }) }, { status: 201 }),
    );
    const user = userEvent.setup();
    renderSignedIn('/inbox/c1?tab=all');
    await user.type(await screen.findByRole('combobox', { name: 'Resposta ao cliente' }), 'Oi, posso ajudar{Enter}');
    expect(await screen.findByText('Esta conversa está com Carla. Responder mesmo assim?')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Responder mesmo assim' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(1);
    });
    // Confirmed once for this conversation: the next reply goes straight out.
    await user.type(composer(), 'Mais uma coisa{Enter}');
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/messages', 'POST')).toHaveLength(2);
    });
    expect(screen.queryByText('Esta conversa está com Carla. Responder mesmo assim?')).not.toBeInTheDocument();
  });
});
