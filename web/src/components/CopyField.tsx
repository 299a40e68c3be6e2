import { Check, Copy } from 'lucide-react';
import { useId, useState } from 'react';
import { cn } from '@/lib/cn';

/**
 * A read-only value with a copy button (webhook URLs, secrets). The labels come from
 * the caller so this stays free of feature strings.
 */
export function CopyField({
  label,
  value,
  copyLabel,
  copiedLabel,
  onCopied,
  onFailed,
  mono = true,
  testId,
}: {
  label: string;
  value: string;
  copyLabel: string;
  copiedLabel: string;
  onCopied?: () => void;
  onFailed?: () => void;
  mono?: boolean;
  testId?: string;
}) {
  const id = useId();
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setDone(true);
      onCopied?.();
      window.setTimeout(() => {
        setDone(false);
      }, 1500);
    } catch {
      onFailed?.();
    }
  };
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-[13px] font-medium text-slate-700">
        {label}
      </label>
      <div className="flex gap-1.5">
        <input
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => {
            e.currentTarget.select();
          }}
          className={cn(
            'block h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 text-[13px] text-slate-900',
            'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600',
            mono && 'font-mono',
          )}
        />
        <button
          type="button"
          onClick={() => void copy()}
          aria-label={`${copyLabel}: ${label}`}
          title={copyLabel}
          className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-[13px] font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          {done ? <Check aria-hidden="true" className="size-4 text-emerald-600" /> : <Copy aria-hidden="true" className="size-4" />}
          <span className="hidden sm:inline">{done ? copiedLabel : copyLabel}</span>
        </button>
      </div>
    </div>
  );
}
