import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { applyContactToConversations } from '@/features/inbox';
import { call, http, type Schemas } from '@/lib/api';
import { contactsKeys, type Contact } from './keys';

export type ContactPatch = Schemas['UpdateContact'];

/**
 * `PATCH /contacts/{id}`: absent fields stay; `email`/`phone: null` clear;
 * `customAttributes` merges (a `null` value removes its key). 409 `contact_exists`.
 */
export async function updateContact({ id, patch }: { id: string; patch: ContactPatch }) {
  const { contact } = await call(http.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: patch }));
  return contact;
}

/** A contact changed (edit, merge, socket): update it everywhere it shows. */
export function contactChanged(qc: QueryClient, contact: Contact) {
  qc.setQueryData(contactsKeys.detail(contact.id), contact);
  void qc.invalidateQueries({ queryKey: contactsKeys.lists() });
  applyContactToConversations(qc, contact);
}

export function useUpdateContact() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateContact,
    onSuccess: (contact) => {
      contactChanged(qc, contact);
    },
  });
}
