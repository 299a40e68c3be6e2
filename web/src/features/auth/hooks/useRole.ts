import type { Role } from '../api/types';
import { atLeast } from '../roles';
import { useSession } from './useSession';

/** The signed-in user's role, and whether it reaches `min`. */
export function useRole() {
  const role = useSession((s) => s.user?.role);
  return {
    role,
    isAdmin: role === 'ADMIN',
    atLeast: (min: Role) => atLeast(role, min),
  };
}
