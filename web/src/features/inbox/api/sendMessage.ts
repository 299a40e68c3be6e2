import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSession } from '@/features/auth';
import { call, http, isApiError } from '@/lib/api';
import { newClientId, useInboxUi, useOutbox, type OutboxItem } from '../store';
import { applyNewMessage } from './cache';
import type { Attachment } from './keys';

export interface SendInput {
  conversationId: string;
  content: string;
  isPrivate: boolean;
  attachments: Attachment[];
}

/** `POST /messages`: 201 at once with the message (PENDING until delivered; notes are final). */
export async function sendMessage(input: Omit<SendInput, 'attachments'> & { attachmentIds: string[] }) {
  const content = input.content.trim();
  const { message } = await call(
    http.POST('/api/v1/messages', {
      body: {
        conversationId: input.conversationId,
        ...(content ? { content } : {}),
        isPrivate: input.isPrivate,
        ...(input.attachmentIds.length ? { attachmentIds: input.attachmentIds } : {}),
      },
    }),
  );
  return message;
}

/**
 * Optimistic send: the bubble shows at once (pending), becomes the server's message
 * when the 201 (or its socket echo) arrives, or turns failed with a retry button.
 */
export function useSendMessage() {
  const qc = useQueryClient();

  const post = useCallback(
    async (item: OutboxItem) => {
      const outbox = useOutbox.getState();
      outbox.update(item.clientId, { state: 'sending', errorCode: undefined });
      try {
        const message = await sendMessage({
          conversationId: item.conversationId,
          content: item.content,
          isPrivate: item.isPrivate,
          attachmentIds: item.attachments.map((a) => a.id),
        });
        applyNewMessage(qc, message, {
          meId: useSession.getState().user?.id ?? null,
          openConversationId: useInboxUi.getState().openConversationId,
        });
        useOutbox.getState().remove(item.clientId);
        return message;
      } catch (err) {
        useOutbox.getState().update(item.clientId, {
          state: 'failed',
          serverId: undefined,
          errorCode: isApiError(err) ? err.code : 'generic',
        });
        return null;
      }
    },
    [qc],
  );

  const send = useCallback(
    (input: SendInput) => {
      const item: OutboxItem = {
        clientId: newClientId(),
        conversationId: input.conversationId,
        content: input.content,
        isPrivate: input.isPrivate,
        attachments: input.attachments,
        createdAt: new Date().toISOString(),
        state: 'sending',
      };
      useOutbox.getState().add(item);
      return post(item);
    },
    [post],
  );

  /** Sends a failed optimistic message again. */
  const resend = useCallback(
    (clientId: string) => {
      const item = useOutbox.getState().items.find((i) => i.clientId === clientId);
      return item === undefined ? Promise.resolve(null) : post(item);
    },
    [post],
  );

  return { send, resend };
}
