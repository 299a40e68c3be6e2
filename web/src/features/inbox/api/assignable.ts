import { useRole, useSession } from '@/features/auth';
import { useTeams } from '@/features/teams';
import { useUsers } from '@/features/users';

/**
 * Who a conversation can be given to by the caller: managers and admins pick any
 * active user; agents only themselves. Teams are the workspace's.
 */
export function useAssignable() {
  const me = useSession((s) => s.user);
  const { atLeast } = useRole();
  const manager = atLeast('MANAGER');
  const users = useUsers({ active: true, limit: 200 }, { enabled: manager });
  const teams = useTeams();
  const agents = manager
    ? (users.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))
    : me
      ? [{ id: me.id, name: me.name }]
      : [];
  return { me, manager, agents, teams: teams.data ?? [] };
}
