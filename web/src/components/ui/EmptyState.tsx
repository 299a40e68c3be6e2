import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

/** Nothing to show yet: say so, and say what to do next. */
export function EmptyState({
  icon: Icon,
  title,
  body,
  action,
  className,
}: {
  icon: LucideIcon;
  title: ReactNode;
  body?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center',
        className,
      )}
    >
      <Icon aria-hidden="true" className="size-7 text-brand-600" />
      <p className="mt-3 text-sm font-medium text-slate-800">{title}</p>
      {body !== undefined && <p className="mt-1 max-w-sm text-[13px] text-slate-600">{body}</p>}
      {action !== undefined && <div className="mt-4">{action}</div>}
    </div>
  );
}
