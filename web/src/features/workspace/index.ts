import { lazy } from 'react';

/**
 * The workspace feature's public entry: the app imports it only from here
 * (`@/features/workspace`), never from its folders.
 */

/** The settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const WorkspaceSettingsPage = lazy(() =>
  import('./components/WorkspaceSettingsPage').then((m) => ({ default: m.WorkspaceSettingsPage })),
);
