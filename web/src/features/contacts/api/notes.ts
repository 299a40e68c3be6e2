import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { contactsKeys, type ContactNote } from './keys';

/** `GET /contacts/{id}/notes`: newest first. */
export async function listNotes(contactId: string, signal?: AbortSignal) {
  const { notes } = await call(http.GET('/api/v1/contacts/{id}/notes', { params: { path: { id: contactId } }, signal }));
  return notes;
}

export const notesQueryOptions = (contactId: string) =>
  queryOptions({ queryKey: contactsKeys.notes(contactId), queryFn: ({ signal }) => listNotes(contactId, signal) });

export function useNotes(contactId: string) {
  return useQuery(notesQueryOptions(contactId));
}

/** `POST /contacts/{id}/notes`. */
export async function addNote({ contactId, content }: { contactId: string; content: string }) {
  const { note } = await call(
    http.POST('/api/v1/contacts/{id}/notes', { params: { path: { id: contactId } }, body: { content } }),
  );
  return note;
}

export function useAddNote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: addNote,
    onSuccess: (note, { contactId }) => {
      qc.setQueryData<ContactNote[]>(contactsKeys.notes(contactId), (notes) => [note, ...(notes ?? [])]);
    },
  });
}

/** `DELETE /contacts/{id}/notes/{noteId}`. */
export async function deleteNote({ contactId, noteId }: { contactId: string; noteId: string }) {
  await call(
    http.DELETE('/api/v1/contacts/{id}/notes/{note_id}', { params: { path: { id: contactId, note_id: noteId } } }),
  );
}

export function useDeleteNote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteNote,
    onSuccess: (_void, { contactId, noteId }) => {
      qc.setQueryData<ContactNote[]>(contactsKeys.notes(contactId), (notes) => notes?.filter((n) => n.id !== noteId));
    },
  });
}
