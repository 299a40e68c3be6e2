import { lazy } from 'react';

/**
 * The canned-responses feature's public entry: other features and the app import it
 * only from here (`@/features/canned`), never from its folders.
 */
export type { CannedResponse } from './api/keys';
export { useCanned } from './api/listCanned';
export { renderCanned } from './render';

/** The settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const CannedResponsesPage = lazy(() =>
  import('./components/CannedResponsesPage').then((m) => ({ default: m.CannedResponsesPage })),
);
