import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { Role } from '../api/types';
import { useRole } from '../hooks/useRole';

/** Renders children for `min` and above; anyone else goes to `fallback` (the page they can use). */
export function RequireRole({ min, fallback, children }: { min: Role; fallback: string; children: ReactNode }) {
  const { atLeast } = useRole();
  return atLeast(min) ? children : <Navigate to={fallback} replace />;
}
