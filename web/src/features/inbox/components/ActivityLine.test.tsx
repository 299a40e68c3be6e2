import { screen, within } from '@testing-library/react';
import i18n from 'i18next';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatTime } from '@/lib/format';
import { conversation, message } from '@/test/inboxFixtures';
import { jsonResponse, mockApi, noContent, renderSignedIn } from '@/test/utils';
import { activityText, type Activity } from '../activity';

const C1 = conversation({ id: 'c1', contact: { id: 'k1', name: 'Maria Silva', phone: null, email: null } });
const carla = { id: 'u-carla', name: 'Carla' };
const joao = { id: 'u-joao', name: 'João' };
const AT = '2026-11-28T13:42:00Z';

function line(activity: Activity, id: string) {
  return message({ id, conversationId: 'c1', senderType: 'SYSTEM', contactId: null, content: null, contentType: 'activity', activity, createdAt: AT });
}

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

describe('activity lines', () => {
  it('say who did what, in pt-BR and English', () => {
    const t = i18n.getFixedT('pt-BR');
    const say = (a: Partial<Activity> & Pick<Activity, 'kind'>) => activityText(a, t, 'pt-BR');
    expect(say({ kind: 'assigned', actor: carla, agent: joao })).toBe('Carla atribuiu a João');
    expect(say({ kind: 'assigned', actor: joao, agent: joao })).toBe('João assumiu a conversa');
    expect(say({ kind: 'assigned', agent: joao })).toBe('Atribuída automaticamente a João');
    expect(say({ kind: 'transferred', actor: carla, previousAgent: joao, agent: carla })).toBe('Carla transferiu de João para Carla');
    expect(say({ kind: 'unassigned', previousAgent: joao })).toBe('João ficou offline; a conversa voltou para a fila');
    expect(say({ kind: 'team_changed', actor: carla, team: { id: 't', name: 'Suporte' } })).toBe('Carla moveu para a equipe Suporte');
    expect(say({ kind: 'team_changed', actor: carla, previousTeam: { id: 't', name: 'Suporte' } })).toBe(
      'Carla tirou a conversa da equipe Suporte',
    );
    expect(say({ kind: 'resolved', actor: carla })).toBe('Carla resolveu a conversa');
    expect(say({ kind: 'reopened' })).toBe('O cliente escreveu de novo e a conversa foi reaberta');
    expect(say({ kind: 'status_changed', actor: carla, status: 'PENDING' })).toBe('Carla marcou como pendente');
    expect(say({ kind: 'unsnoozed' })).toBe('O adiamento terminou');
    expect(say({ kind: 'categories_changed', actor: carla, added: ['Boleto'] })).toBe('Carla adicionou a categoria Boleto');
    expect(say({ kind: 'categories_changed', actor: carla, added: ['A'], removed: ['B'] })).toBe('Carla trocou as categorias: +A −B');
    // Names are data, never markup.
    expect(say({ kind: 'resolved', actor: { id: 'x', name: '<b>Eva</b>' } })).toBe('<b>Eva</b> resolveu a conversa');
    const en = i18n.getFixedT('en');
    expect(activityText({ kind: 'assigned', actor: carla, agent: joao }, en, 'en')).toBe('Carla assigned it to João');
  });

  it('show in the thread as small centred lines with the local time, between the messages', async () => {
    mockApi({
      'GET /api/v1/conversations': () => jsonResponse({ conversations: [C1], total: 1 }),
      'GET /api/v1/conversations/c1': () => jsonResponse({ conversation: C1 }),
      'GET /api/v1/messages': () =>
        jsonResponse({
          messages: [
            message({ id: 'm2', conversationId: 'c1', content: 'Pode me ajudar?', createdAt: '2026-11-28T13:43:00Z' }),
            line({ kind: 'assigned', actor: carla, agent: joao }, 'a1'),
            message({ id: 'm1', conversationId: 'c1', content: 'Oi', createdAt: '2026-11-28T13:40:00Z' }),
          ],
          nextCursor: null,
        }),
      'POST /api/v1/conversations/c1/read': () => noContent(),
      'GET /api/v1/channels': () => jsonResponse({ channels: [] }),
      'GET /api/v1/users': () => jsonResponse({ users: [], total: 0 }),
      'GET /api/v1/teams': () => jsonResponse({ teams: [] }),
      'GET /api/v1/canned-responses': () => jsonResponse({ cannedResponses: [] }),
    });
    renderSignedIn('/inbox/c1?tab=all');
    const activity = await screen.findByTestId('activity-line');
    expect(activity).toHaveTextContent(`Carla atribuiu a João · ${formatTime(AT, 'pt-BR')}`);
    // Oldest first: the line sits between the two messages.
    const thread = screen.getByRole('log');
    const text = thread.textContent;
    expect(text.indexOf('Oi')).toBeLessThan(text.indexOf('Carla atribuiu'));
    expect(text.indexOf('Carla atribuiu')).toBeLessThan(text.indexOf('Pode me ajudar?'));
    expect(within(activity).queryByRole('button')).toBeNull();
  });
});
