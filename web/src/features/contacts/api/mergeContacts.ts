import { useMutation, useQueryClient } from '@tanstack/react-query';
import { inboxKeys } from '@/features/inbox';
import { call, http } from '@/lib/api';
import { contactsKeys } from './keys';
import { contactChanged } from './updateContact';

/**
 * `POST /contacts/{id}/merge`: `otherContactId` is folded into `{id}` (identities,
 * conversations, notes). Two unresolved conversations on one channel become one; the
 * answer lists them (`combinedConversations`).
 */
export async function mergeContacts({ keepId, otherId }: { keepId: string; otherId: string }) {
  return call(
    http.POST('/api/v1/contacts/{id}/merge', { params: { path: { id: keepId } }, body: { otherContactId: otherId } }),
  );
}

export function useMergeContacts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: mergeContacts,
    onSuccess: ({ contact }, { otherId }) => {
      qc.removeQueries({ queryKey: contactsKeys.detail(otherId) });
      contactChanged(qc, contact);
      // Conversations moved to the kept contact.
      void qc.invalidateQueries({ queryKey: inboxKeys.conversations() });
    },
  });
}
