import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

/** A titled white panel for a group of settings. */
export function Card({
  title,
  description,
  actions,
  children,
  className,
  titleId,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  titleId?: string;
}) {
  return (
    <section aria-labelledby={titleId} className={cn('rounded-lg border border-slate-200 bg-white', className)}>
      {(title !== undefined || actions !== undefined) && (
        <header className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-4 py-3">
          <div className="min-w-0">
            {title !== undefined && (
              <h3 id={titleId} className="text-sm font-semibold text-slate-900">
                {title}
              </h3>
            )}
            {description !== undefined && <p className="mt-0.5 text-[13px] text-slate-600">{description}</p>}
          </div>
          {actions}
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}
