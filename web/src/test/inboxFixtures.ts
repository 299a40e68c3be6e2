import type { Conversation, Message } from '@/features/inbox';
import { SESSION } from './utils';

export const ME = SESSION.user;
export const CHANNEL = { id: 'ch-1', name: 'Site chat', type: 'API' as const };

export function conversation(overrides: Partial<Conversation> & { id: string }): Conversation {
  return {
    status: 'OPEN',
    snoozedUntil: null,
    assignee: null,
    teamId: null,
    contact: { id: `contact-${overrides.id}`, name: `Contato ${overrides.id}`, phone: '+5511999990000', email: null },
    channel: CHANNEL,
    lastMessagePreview: 'Olá',
    lastActivityAt: '2026-11-28T12:00:00Z',
    lastIncomingAt: '2026-11-28T12:00:00Z',
    firstReplyAt: null,
    resolvedAt: null,
    reopenedCount: 0,
    unreadCount: 0,
    createdAt: '2026-11-28T11:00:00Z',
    ...overrides,
  };
}

export function message(overrides: Partial<Message> & { id: string; conversationId: string }): Message {
  return {
    channelId: CHANNEL.id,
    senderType: 'CONTACT',
    sender: null,
    contactId: `contact-${overrides.conversationId}`,
    content: 'Olá',
    contentType: 'text',
    attachments: [],
    metadata: null,
    externalId: null,
    status: 'SENT',
    failureReason: null,
    failureCode: null,
    deliveryAttempts: 0,
    maxDeliveryAttempts: 6,
    isPrivate: false,
    createdAt: '2026-11-28T12:00:00Z',
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    ...overrides,
  };
}

/** An agent reply by the signed-in user. */
export function reply(overrides: Partial<Message> & { id: string; conversationId: string }): Message {
  return message({ senderType: 'AGENT', sender: { id: ME.id, name: ME.name }, contactId: null, status: 'PENDING', ...overrides });
}
