import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

export interface SelectProps extends ComponentProps<'select'> {
  invalid?: boolean;
}

/** Native select: keyboard, screen readers and phones handle it well with no extra code. */
export function Select({ invalid = false, className, ...props }: SelectProps) {
  return (
    <select
      aria-invalid={invalid || undefined}
      className={cn(
        'block h-9 w-full rounded-md border bg-white px-2.5 text-sm text-slate-900 shadow-sm transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-1',
        invalid
          ? 'border-red-600 focus-visible:outline-red-600'
          : 'border-slate-300 hover:border-slate-400 focus-visible:border-brand-600 focus-visible:outline-brand-600',
        'disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500',
        className,
      )}
      {...props}
    />
  );
}
