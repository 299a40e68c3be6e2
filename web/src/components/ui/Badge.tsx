import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

export type Tone = 'brand' | 'neutral' | 'green' | 'amber' | 'red' | 'violet' | 'sky';

const tones: Record<Tone, string> = {
  brand: 'bg-brand-50 text-brand-800 ring-brand-200',
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
  green: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  amber: 'bg-amber-50 text-amber-800 ring-amber-200',
  red: 'bg-red-50 text-red-800 ring-red-200',
  violet: 'bg-violet-50 text-violet-800 ring-violet-200',
  sky: 'bg-sky-50 text-sky-800 ring-sky-200',
};

export function Badge({ tone = 'neutral', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset',
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

/** A small coloured dot + label, for states such as active / offline. */
export function StatusDot({ tone, children }: { tone: 'green' | 'amber' | 'red' | 'grey'; children: ReactNode }) {
  const dot = { green: 'bg-emerald-500', amber: 'bg-amber-500', red: 'bg-red-500', grey: 'bg-slate-400' }[tone];
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-[13px] text-slate-700">
      <span aria-hidden="true" className={cn('size-2 rounded-full', dot)} />
      {children}
    </span>
  );
}
