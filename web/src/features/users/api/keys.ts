import type { Role } from '@/features/auth';
import type { Schemas } from '@/lib/api';

export type UserView = Schemas['UserView'];
export type Availability = Schemas['Availability'];

export interface UsersFilter {
  q?: string;
  role?: Role;
  active?: boolean;
  limit?: number;
  offset?: number;
}

/** Query keys for users: invalidate `usersKeys.all` after any change to a user. */
export const usersKeys = {
  all: ['users'] as const,
  lists: () => [...usersKeys.all, 'list'] as const,
  list: (filter: UsersFilter) => [...usersKeys.lists(), filter] as const,
  detail: (id: string) => [...usersKeys.all, 'detail', id] as const,
};
