import { cn } from '@/lib/cn';

/** A grey placeholder block while data loads (decorative: announce loading elsewhere). */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn('block animate-pulse rounded bg-slate-200', className)} />;
}
