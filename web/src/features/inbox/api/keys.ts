import type { Schemas } from '@/lib/api';

export type Conversation = Schemas['ConversationView'];
export type ConversationStatus = Schemas['ConversationStatus'];
export type Message = Schemas['MessageView'];
export type MessageStatus = Schemas['MessageStatus'];
export type ConversationPage = Schemas['ConversationList'];
export type MessagePage = Schemas['MessagePage'];
export type Attachment = Schemas['AttachmentView'];
export type AttachmentRef = Schemas['AttachmentRef'];
export type ChannelType = Schemas['ChannelType'];

/** The list tabs and the `agentId` each one asks the server for. */
export const INBOX_TABS = ['mine', 'unassigned', 'all'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];
export const TAB_AGENT: Record<InboxTab, 'me' | 'none' | 'all'> = { mine: 'me', unassigned: 'none', all: 'all' };

export const STATUS_FILTERS = ['OPEN', 'PENDING', 'RESOLVED', 'ALL'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** What the list shows (it lives in the URL: `/inbox?tab=mine&status=OPEN&channel=…&team=…&q=…`). */
export interface ConversationFilter {
  tab: InboxTab;
  status: StatusFilter;
  channelId?: string;
  teamId?: string;
  q?: string;
}

/** The `GET /conversations` query for a filter (without paging). */
export interface ConversationQuery {
  agentId: 'me' | 'none' | 'all';
  status?: ConversationStatus;
  channelId?: string;
  teamId?: string;
  q?: string;
}

export function toConversationQuery(filter: ConversationFilter): ConversationQuery {
  const q = filter.q?.trim();
  return {
    agentId: TAB_AGENT[filter.tab],
    ...(filter.status === 'ALL' ? {} : { status: filter.status }),
    ...(filter.channelId ? { channelId: filter.channelId } : {}),
    ...(filter.teamId ? { teamId: filter.teamId } : {}),
    ...(q ? { q } : {}),
  };
}

/** Query keys of the inbox; `inboxKeys.all` refetches everything after a reconnect. */
export const inboxKeys = {
  all: ['inbox'] as const,
  conversations: () => [...inboxKeys.all, 'conversations'] as const,
  lists: () => [...inboxKeys.conversations(), 'list'] as const,
  list: (query: ConversationQuery) => [...inboxKeys.lists(), query] as const,
  detail: (id: string) => [...inboxKeys.conversations(), 'detail', id] as const,
  byContact: (contactId: string) => [...inboxKeys.conversations(), 'byContact', contactId] as const,
  messages: (conversationId: string) => [...inboxKeys.all, 'messages', conversationId] as const,
  unread: () => [...inboxKeys.all, 'unread'] as const,
};
