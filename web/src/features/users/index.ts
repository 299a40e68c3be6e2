import { lazy } from 'react';

/**
 * The users feature's public entry: other features and the app import it only from
 * here (`@/features/users`), never from its folders.
 */
export { useUser } from './api/getUser';
export type { Availability, UserView } from './api/keys';
export { useUsers } from './api/listUsers';
export { useUpdateUser } from './api/updateUser';
export { RoleBadge } from './components/RoleBadge';

/** The settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const UsersPage = lazy(() => import('./components/UsersPage').then((m) => ({ default: m.UsersPage })));
