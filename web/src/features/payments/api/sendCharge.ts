import { useMutation } from '@tanstack/react-query';
import { call, http } from '@/lib/api';

/** `POST /asaas/charges/{id}/send`: posts the payment link (and Pix code) into the conversation. */
export async function sendCharge({ id, conversationId }: { id: string; conversationId?: string }) {
  return call(
    http.POST('/api/v1/asaas/charges/{id}/send', {
      params: { path: { id } },
      body: conversationId === undefined ? null : { conversationId },
    }),
  );
}

export function useSendCharge() {
  return useMutation({ mutationFn: sendCharge });
}
