import type { QueryClient } from '@tanstack/react-query';
import { onReconnect, onSocketEvent } from '@/lib/socket';
import { contactsKeys, type Contact } from './api/keys';
import { contactChanged } from './api/updateContact';

const isContact = (v: unknown): v is Contact =>
  typeof v === 'object' && v !== null && typeof (v as Contact).id === 'string' && typeof (v as Contact).name === 'string';

/** `contact_updated` → the contact's details, lists and conversations; refetch after a reconnect. */
export function registerContactsRealtime(qc: QueryClient): () => void {
  const offs = [
    onSocketEvent('contact_updated', (payload) => {
      if (isContact(payload)) contactChanged(qc, payload);
    }),
    onReconnect(() => {
      void qc.invalidateQueries({ queryKey: contactsKeys.all });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
