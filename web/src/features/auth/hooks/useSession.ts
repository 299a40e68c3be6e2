import { create } from 'zustand';
import type { Session, Tenant, User } from '../api/types';

/** unknown: not asked yet (page load); signedOut: after an explicit logout. */
export type SessionStatus = 'unknown' | 'authenticated' | 'signedOut';

interface SessionState {
  status: SessionStatus;
  user: User | null;
  tenant: Tenant | null;
  setSession: (session: Session) => void;
  /** After logout: forget the user and do not ask `/auth/me` again. */
  signOut: () => void;
  /** Back to the page-load state (tests, or a 401 from anywhere). */
  reset: () => void;
}

/**
 * Who is signed in, for which workspace. Kept in memory only: the HttpOnly cookie is
 * the credential, and `GET /auth/me` restores this after a reload.
 */
export const useSession = create<SessionState>()((set) => ({
  status: 'unknown',
  user: null,
  tenant: null,
  setSession: ({ user, tenant }) => {
    set({ status: 'authenticated', user, tenant });
  },
  signOut: () => {
    set({ status: 'signedOut', user: null, tenant: null });
  },
  reset: () => {
    set({ status: 'unknown', user: null, tenant: null });
  },
}));
