import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { conversation, message, ME, reply } from '@/test/inboxFixtures';
import {
  addMessage,
  applyContactToConversations,
  applyConversationRemoved,
  applyConversationUpdated,
  applyNewMessage,
  applyStatusUpdate,
  matchesQuery,
  type MessagePages,
} from './cache';
import { inboxKeys, toConversationQuery, type ConversationQuery } from './keys';
import type { ConversationPages } from './listConversations';

const ALL: ConversationQuery = { agentId: 'all', status: 'OPEN' };
const MINE: ConversationQuery = { agentId: 'me', status: 'OPEN' };
const ctx = { meId: ME.id, openConversationId: null };

function setup() {
  const qc = new QueryClient();
  const list: ConversationPages = {
    pages: [
      {
        conversations: [
          conversation({ id: 'a', lastActivityAt: '2026-11-28T12:03:00Z' }),
          conversation({ id: 'b', lastActivityAt: '2026-11-28T12:02:00Z', unreadCount: 2 }),
          conversation({ id: 'c', lastActivityAt: '2026-11-28T12:01:00Z' }),
        ],
        total: 3,
      },
    ],
    pageParams: [0],
  };
  qc.setQueryData(inboxKeys.list(ALL), list);
  const history: MessagePages = {
    pages: [{ messages: [message({ id: 'm2', conversationId: 'c', createdAt: '2026-11-28T12:01:00Z' }), message({ id: 'm1', conversationId: 'c', createdAt: '2026-11-28T12:00:00Z' })], nextCursor: null }],
    pageParams: [undefined],
  };
  qc.setQueryData(inboxKeys.messages('c'), history);
  return qc;
}

const ids = (qc: QueryClient, q: ConversationQuery = ALL) =>
  qc.getQueryData<ConversationPages>(inboxKeys.list(q))?.pages.flatMap((p) => p.conversations.map((c) => c.id));
const conv = (qc: QueryClient, id: string) =>
  qc.getQueryData<ConversationPages>(inboxKeys.list(ALL))?.pages.flatMap((p) => p.conversations).find((c) => c.id === id);
const history = (qc: QueryClient, id = 'c') =>
  qc.getQueryData<MessagePages>(inboxKeys.messages(id))?.pages.flatMap((p) => p.messages) ?? [];

describe('socket events patch the inbox cache', () => {
  it('a late copy of a message keeps the failure the socket already reported (code, reason, attempts)', () => {
    const qc = setup();
    addMessage(qc, reply({ id: 'r', conversationId: 'c', status: 'PENDING', createdAt: '2026-11-28T12:02:00Z' }));
    applyStatusUpdate(qc, {
      id: 'r',
      conversationId: 'c',
      status: 'FAILED',
      failureCode: 'provider_rejected',
      failureReason: 'callback answered 400',
      deliveryAttempts: 1,
      maxDeliveryAttempts: 6,
    });
    addMessage(qc, reply({ id: 'r', conversationId: 'c', status: 'PENDING', createdAt: '2026-11-28T12:02:00Z' }));
    expect(history(qc).find((m) => m.id === 'r')).toMatchObject({
      status: 'FAILED',
      failureCode: 'provider_rejected',
      failureReason: 'callback answered 400',
      deliveryAttempts: 1,
    });
  });

  it('conversation_removed drops the folded conversation from every list and refetches the kept history', () => {
    const qc = setup();
    applyConversationRemoved(qc, { id: 'b', mergedInto: 'c' });
    expect(ids(qc)).toEqual(['a', 'c']);
    expect(qc.getQueryData<ConversationPages>(inboxKeys.list(ALL))?.pages[0]?.total).toBe(2);
    expect(qc.getQueryState(inboxKeys.messages('c'))?.isInvalidated).toBe(true);
  });

  it('new_message appends to the history and moves the conversation to the top with one more unread', () => {
    const qc = setup();
    const m = message({ id: 'm3', conversationId: 'c', content: 'Chegou?', createdAt: '2026-11-28T12:05:00Z' });
    applyNewMessage(qc, m, ctx);
    expect(history(qc).map((x) => x.id)).toEqual(['m3', 'm2', 'm1']);
    expect(ids(qc)).toEqual(['c', 'a', 'b']);
    expect(conv(qc, 'c')).toMatchObject({ unreadCount: 1, lastMessagePreview: 'Chegou?', lastActivityAt: m.createdAt });
  });

  it('counts a message once, even when it arrives twice', () => {
    const qc = setup();
    const m = message({ id: 'm9', conversationId: 'b', createdAt: '2026-11-28T12:09:00Z' });
    applyNewMessage(qc, m, ctx);
    applyNewMessage(qc, m, ctx);
    expect(conv(qc, 'b')?.unreadCount).toBe(3);
    expect(ids(qc)?.[0]).toBe('b');
  });

  it('does not count unread for the open conversation, agent replies or private notes', () => {
    const qc = setup();
    applyNewMessage(qc, message({ id: 'x1', conversationId: 'c', createdAt: '2026-11-28T12:06:00Z' }), { ...ctx, openConversationId: 'c' });
    applyNewMessage(qc, reply({ id: 'x2', conversationId: 'a', createdAt: '2026-11-28T12:07:00Z' }), ctx);
    applyNewMessage(qc, message({ id: 'x3', conversationId: 'b', isPrivate: true, senderType: 'AGENT', content: 'nota', createdAt: '2026-11-28T12:08:00Z' }), ctx);
    expect(conv(qc, 'c')?.unreadCount).toBe(0);
    expect(conv(qc, 'a')?.unreadCount).toBe(0);
    expect(conv(qc, 'b')).toMatchObject({ unreadCount: 2, lastMessagePreview: 'Olá' });
    expect(ids(qc)).toEqual(['b', 'a', 'c']);
  });

  it('message_status_update changes the tick, and late echoes never move it back', () => {
    const qc = setup();
    addMessage(qc, reply({ id: 'r1', conversationId: 'c', createdAt: '2026-11-28T12:05:00Z' }));
    applyStatusUpdate(qc, { id: 'r1', conversationId: 'c', status: 'SENT', sentAt: '2026-11-28T12:05:01Z' });
    expect(history(qc)[0]).toMatchObject({ id: 'r1', status: 'SENT', sentAt: '2026-11-28T12:05:01Z' });
    applyStatusUpdate(qc, { id: 'r1', conversationId: 'c', status: 'READ' });
    applyStatusUpdate(qc, { id: 'r1', conversationId: 'c', status: 'DELIVERED' });
    expect(history(qc)[0]?.status).toBe('READ');
    // The POST's 201 (PENDING) arriving after the socket must not undo it.
    addMessage(qc, reply({ id: 'r1', conversationId: 'c', createdAt: '2026-11-28T12:05:00Z' }));
    expect(history(qc)[0]?.status).toBe('READ');
  });

  it('a failure shows its reason; a retry takes it back to pending; a stale copy does not', () => {
    const qc = setup();
    addMessage(qc, reply({ id: 'r2', conversationId: 'c', createdAt: '2026-11-28T12:05:00Z' }));
    applyStatusUpdate(qc, { id: 'r2', conversationId: 'c', status: 'FAILED', failureReason: 'callback answered 400' });
    addMessage(qc, reply({ id: 'r2', conversationId: 'c', createdAt: '2026-11-28T12:05:00Z' }));
    expect(history(qc)[0]).toMatchObject({ status: 'FAILED', failureReason: 'callback answered 400' });
    applyStatusUpdate(qc, { id: 'r2', conversationId: 'c', status: 'PENDING' });
    expect(history(qc)[0]).toMatchObject({ status: 'PENDING', failureReason: null });
  });

  it('a status that arrives before its message is applied when the message shows up', () => {
    const qc = setup();
    applyStatusUpdate(qc, { id: 'r3', conversationId: 'c', status: 'DELIVERED' });
    addMessage(qc, reply({ id: 'r3', conversationId: 'c', createdAt: '2026-11-28T12:05:00Z' }));
    expect(history(qc)[0]).toMatchObject({ id: 'r3', status: 'DELIVERED' });
  });

  it('conversation_updated drops it from lists it no longer matches and adds it to those it does', () => {
    const qc = setup();
    qc.setQueryData<ConversationPages>(inboxKeys.list(MINE), { pages: [{ conversations: [], total: 0 }], pageParams: [0] });
    applyConversationUpdated(qc, conversation({ id: 'b', assignee: { id: ME.id, name: ME.name }, unreadCount: undefined }), ctx);
    expect(ids(qc, MINE)).toEqual(['b']);
    // The viewer's unread count is kept (events do not carry it).
    expect(conv(qc, 'b')?.unreadCount).toBe(2);
    applyConversationUpdated(qc, conversation({ id: 'b', status: 'RESOLVED', assignee: { id: ME.id, name: ME.name } }), ctx);
    expect(ids(qc)).toEqual(['a', 'c']);
    expect(ids(qc, MINE)).toEqual([]);
  });

  it('contact_updated renames the contact in every conversation', () => {
    const qc = setup();
    applyContactToConversations(qc, { id: 'contact-a', name: 'Maria Souza', phone: '+5511911112222', email: null });
    expect(conv(qc, 'a')?.contact).toMatchObject({ name: 'Maria Souza', phone: '+5511911112222' });
    expect(conv(qc, 'b')?.contact.name).toBe('Contato b');
  });
});

describe('list tabs', () => {
  it('map to the agentId the server expects, with the other filters', () => {
    expect(toConversationQuery({ tab: 'mine', status: 'OPEN' })).toEqual({ agentId: 'me', status: 'OPEN' });
    expect(toConversationQuery({ tab: 'unassigned', status: 'PENDING', channelId: 'ch-1' })).toEqual({
      agentId: 'none',
      status: 'PENDING',
      channelId: 'ch-1',
    });
    expect(toConversationQuery({ tab: 'all', status: 'ALL', q: '  maria ' })).toEqual({ agentId: 'all', q: 'maria' });
  });

  it('decide locally whether a conversation belongs to a list', () => {
    const mine = conversation({ id: 'x', assignee: { id: ME.id, name: ME.name } });
    expect(matchesQuery(mine, MINE, ME.id)).toBe(true);
    expect(matchesQuery(mine, { agentId: 'none' }, ME.id)).toBe(false);
    expect(matchesQuery(conversation({ id: 'y' }), { agentId: 'none', status: 'OPEN' }, ME.id)).toBe(true);
    expect(matchesQuery(mine, { agentId: 'all', q: 'ana' }, ME.id)).toBeNull();
  });
});
