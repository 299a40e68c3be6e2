import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { contactsKeys } from './keys';

/**
 * `POST /contacts/import` (managers and admins) with the CSV as the body: header
 * `name,email,phone,lead_status,custom_attributes`. Answers what it created and
 * updated and one error per problem row.
 */
export async function importContacts(csv: string) {
  return call(
    http.POST('/api/v1/contacts/import', {
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
      bodySerializer: (body) => body,
    }),
  );
}

export function useImportContacts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importContacts,
    onSuccess: () => qc.invalidateQueries({ queryKey: contactsKeys.all }),
  });
}

/** `GET /contacts/export.csv` with the list's filters, for a download link (the cookie goes along). */
export function exportUrl(filter: { search?: string; leadStatus?: string }): string {
  const params = new URLSearchParams();
  if (filter.search?.trim()) params.set('search', filter.search.trim());
  if (filter.leadStatus) params.set('leadStatus', filter.leadStatus);
  const qs = params.toString();
  return `/api/v1/contacts/export.csv${qs ? `?${qs}` : ''}`;
}
