import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

export interface InputProps extends ComponentProps<'input'> {
  invalid?: boolean;
}

export function Input({ invalid = false, className, ...props }: InputProps) {
  return (
    <input
      aria-invalid={invalid || undefined}
      className={cn(
        'block h-9 w-full rounded-md border bg-white px-3 text-sm text-slate-900 shadow-sm',
        'placeholder:text-slate-400 transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-1',
        invalid
          ? 'border-red-600 focus-visible:outline-red-600'
          : 'border-slate-300 hover:border-slate-400 focus-visible:border-brand-600 focus-visible:outline-brand-600',
        'disabled:cursor-not-allowed disabled:bg-slate-100',
        className,
      )}
      {...props}
    />
  );
}
