import { MessagesSquare } from 'lucide-react';
import { cn } from '@/lib/cn';

/** The brand mark; the word "Atende" is a name and is not translated. */
export function Logo({ className, withName = true }: { className?: string; withName?: boolean }) {
  return (
    <span className={cn('inline-flex items-center gap-2 font-semibold text-slate-900', className)}>
      <span className="inline-flex size-8 items-center justify-center rounded-lg bg-brand-600 text-white">
        <MessagesSquare aria-hidden="true" className="size-[18px]" />
      </span>
      {withName && <span className="text-base tracking-tight">Atende</span>}
    </span>
  );
}
