import type { Role } from './api/types';

const RANK: Record<Role, number> = { AGENT: 0, MANAGER: 1, ADMIN: 2 };

/** ADMIN > MANAGER > AGENT, as the server orders them. */
export function atLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[min];
}

/** Only managers and admins can supervise a team (the server answers 422 otherwise). */
export function canSupervise(role: Role): boolean {
  return atLeast(role, 'MANAGER');
}
