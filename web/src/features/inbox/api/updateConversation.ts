import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '@/features/auth';
import { call, http, type Schemas } from '@/lib/api';
import { useInboxUi } from '../store';
import { applyConversationUpdated } from './cache';
import { inboxKeys } from './keys';

export type ConversationPatch = Schemas['UpdateConversation'];

/** `PATCH /conversations/{id}`: status, assignee (`agentId`), team; null clears. */
export async function updateConversation({ id, patch }: { id: string; patch: ConversationPatch }) {
  const { conversation } = await call(
    http.PATCH('/api/v1/conversations/{id}', { params: { path: { id } }, body: patch }),
  );
  return conversation;
}

export function useUpdateConversation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateConversation,
    onSuccess: (conversation) => {
      applyConversationUpdated(qc, conversation, {
        meId: useSession.getState().user?.id ?? null,
        openConversationId: useInboxUi.getState().openConversationId,
      });
    },
  });
}

/** `POST /conversations/bulk` (e.g. resolve many at once). */
export async function bulkUpdate(input: Schemas['BulkUpdate']) {
  return call(http.POST('/api/v1/conversations/bulk', { body: input }));
}

export function useBulkUpdate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: bulkUpdate,
    onSettled: () => qc.invalidateQueries({ queryKey: inboxKeys.conversations() }),
  });
}
