import { lazy } from 'react';

/**
 * The profile feature's public entry: the app imports it only from here
 * (`@/features/profile`), never from its folders.
 */

/** The profile page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const ProfilePage = lazy(() => import('./components/ProfilePage').then((m) => ({ default: m.ProfilePage })));
