import { lazy } from 'react';

/**
 * The contacts feature's public entry: other features and the app import it only from
 * here (`@/features/contacts`), never from its folders.
 */
export { registerContactsRealtime } from './realtime';

// Loaded on demand (each its own chunk): render them inside `<Suspense>`.
export const ContactsPage = lazy(() => import('./components/ContactsPage').then((m) => ({ default: m.ContactsPage })));
export const ContactDetailPage = lazy(() =>
  import('./components/ContactDetailPage').then((m) => ({ default: m.ContactDetailPage })),
);
/** The contact beside a conversation; the app hands it to the inbox. */
export const ContactPanel = lazy(() => import('./components/ContactPanel').then((m) => ({ default: m.ContactPanel })));
