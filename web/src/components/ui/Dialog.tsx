import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

export interface DialogContentProps {
  title: ReactNode;
  description?: ReactNode;
  /** Accessible name of the corner close button. */
  closeLabel: string;
  children: ReactNode;
  className?: string;
}

/**
 * A modal panel: focus moves in and is trapped, Escape and the close button dismiss
 * it, and focus returns to the trigger. Full width on phones, centred above.
 */
export function DialogContent({ title, description, closeLabel, children, className }: DialogContentProps) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 data-[state=open]:animate-[fade-in_120ms_ease-out]" />
      <RadixDialog.Content
        {...(description === undefined ? { 'aria-describedby': undefined } : {})}
        className={cn(
          'fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl border border-slate-200 bg-white p-5 shadow-xl',
          'sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-[12vh] sm:w-full sm:max-w-md sm:-translate-x-1/2 sm:rounded-xl',
          'focus:outline-none data-[state=open]:animate-[pop-in_140ms_ease-out]',
          className,
        )}
      >
        <div className="mb-4 flex items-start gap-3 pr-8">
          <div className="min-w-0">
            <RadixDialog.Title className="text-base font-semibold text-slate-900">{title}</RadixDialog.Title>
            {description !== undefined && (
              <RadixDialog.Description className="mt-1 text-[13px] text-slate-600">{description}</RadixDialog.Description>
            )}
          </div>
        </div>
        {children}
        <RadixDialog.Close
          aria-label={closeLabel}
          className="absolute right-3 top-3 inline-flex size-8 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <X aria-hidden="true" className="size-4" />
        </RadixDialog.Close>
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

/** Buttons row at the bottom of a dialog: primary action last (right). */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>;
}
