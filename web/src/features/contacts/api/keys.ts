import type { Schemas } from '@/lib/api';

export type Contact = Schemas['ContactView'];
export type LeadStatus = Schemas['LeadStatus'];
export type ContactNote = Schemas['NoteView'];
export type ImportReport = Schemas['ImportReport'];

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'customer', 'lost'] as const satisfies readonly LeadStatus[];

export interface ContactsFilter {
  search?: string;
  leadStatus?: LeadStatus;
  limit?: number;
  offset?: number;
}

/** A contact's own fields (`customAttributes` is a JSON object of the workspace's fields). */
export function attributesOf(contact: Contact): Record<string, unknown> {
  const attrs: unknown = contact.customAttributes;
  return typeof attrs === 'object' && attrs !== null && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {};
}

export const contactsKeys = {
  all: ['contacts'] as const,
  lists: () => [...contactsKeys.all, 'list'] as const,
  list: (filter: ContactsFilter) => [...contactsKeys.lists(), filter] as const,
  detail: (id: string) => [...contactsKeys.all, 'detail', id] as const,
  notes: (id: string) => [...contactsKeys.all, 'notes', id] as const,
};
