/**
 * The auth feature's public entry: other features and the app import auth only from
 * here (`@/features/auth`), never from its folders.
 */
export { useLogout } from './api/logout';
export { meQueryKey } from './api/me';
export { ROLES, type Role } from './api/types';
export { LoginPage } from './components/LoginPage';
export { RequireAuth } from './components/RequireAuth';
export { RequireRole } from './components/RequireRole';
export { registerAuthRealtime } from './realtime';
export { useRole } from './hooks/useRole';
export { useSession } from './hooks/useSession';
export { canSupervise } from './roles';
