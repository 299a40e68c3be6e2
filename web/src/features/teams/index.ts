import { lazy } from 'react';

/**
 * The teams feature's public entry: other features and the app import it only from
 * here (`@/features/teams`), never from its folders.
 */
export { useTeams } from './api/listTeams';

/** The settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const TeamsPage = lazy(() => import('./components/TeamsPage').then((m) => ({ default: m.TeamsPage })));
