import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { addMessage, applyStatusUpdate } from './cache';
import type { Message } from './keys';

/** `POST /messages/{id}/retry`: queues a FAILED agent message again (409 `not_failed`). */
export async function retryMessage(id: string) {
  const { message } = await call(http.POST('/api/v1/messages/{id}/retry', { params: { path: { id } } }));
  return message;
}

export function useRetryMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (message: Message) => retryMessage(message.id),
    // The tick turns pending at once; the server's answer (and socket) confirm it.
    onMutate: (message) => {
      applyStatusUpdate(qc, { id: message.id, conversationId: message.conversationId, status: 'PENDING' });
    },
    onSuccess: (message) => {
      addMessage(qc, message);
    },
    onError: (_err, message) => {
      applyStatusUpdate(qc, {
        id: message.id,
        conversationId: message.conversationId,
        status: 'FAILED',
        failureReason: message.failureReason ?? null,
      });
    },
  });
}
