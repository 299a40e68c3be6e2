import { create } from 'zustand';
import type { Attachment, Message } from './api/keys';

interface InboxUiState {
  /** The conversation on screen, if any (its new messages are read, not counted unread). */
  openConversationId: string | null;
  setOpenConversation: (id: string | null) => void;
  /** The list's order on screen, for next / previous (j / k). */
  listIds: string[];
  setListIds: (ids: string[]) => void;
}

export const useInboxUi = create<InboxUiState>()((set) => ({
  openConversationId: null,
  setOpenConversation: (id) => {
    set({ openConversationId: id });
  },
  listIds: [],
  setListIds: (ids) => {
    set({ listIds: ids });
  },
}));

/** A reply typed here that the server has not confirmed yet (or refused). */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  content: string;
  isPrivate: boolean;
  attachments: Attachment[];
  createdAt: string;
  state: 'sending' | 'failed';
  /** The API error code when sending failed (`network_error`, `channel_disabled`, …). */
  errorCode?: string;
  /** The server's id once known (from the 201 or the socket echo). */
  serverId?: string;
}

interface OutboxState {
  items: OutboxItem[];
  add: (item: OutboxItem) => void;
  update: (clientId: string, patch: Partial<OutboxItem>) => void;
  remove: (clientId: string) => void;
  /**
   * The socket's echo of our own reply can arrive before the POST's answer: tie it to
   * the waiting item (same conversation, text and privacy) so it is not shown twice.
   */
  claim: (message: Message) => boolean;
}

export const useOutbox = create<OutboxState>()((set, get) => ({
  items: [],
  add: (item) => {
    set((s) => ({ items: [...s.items, item] }));
  },
  update: (clientId, patch) => {
    set((s) => ({ items: s.items.map((i) => (i.clientId === clientId ? { ...i, ...patch } : i)) }));
  },
  remove: (clientId) => {
    set((s) => ({ items: s.items.filter((i) => i.clientId !== clientId) }));
  },
  claim: (message) => {
    if (get().items.some((i) => i.serverId === message.id)) return true;
    const text = (message.content ?? '').trim();
    const item = get().items.find(
      (i) =>
        i.state === 'sending' &&
        i.serverId === undefined &&
        i.conversationId === message.conversationId &&
        i.isPrivate === message.isPrivate &&
        i.content.trim() === text,
    );
    if (item === undefined) return false;
    get().update(item.clientId, { serverId: message.id });
    return true;
  },
}));

let seq = 0;
/** A local id for an optimistic message (crypto.randomUUID needs a secure context). */
export function newClientId(): string {
  seq += 1;
  return `local-${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}
