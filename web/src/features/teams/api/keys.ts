import type { Schemas } from '@/lib/api';

export type TeamView = Schemas['TeamView'];
export type MemberView = Schemas['MemberView'];

/** Query keys for teams: invalidate `teamsKeys.all` after any change (counts live in the list). */
export const teamsKeys = {
  all: ['teams'] as const,
  list: () => [...teamsKeys.all, 'list'] as const,
  members: (teamId: string) => [...teamsKeys.all, 'members', teamId] as const,
};
