import { Check, Pencil, X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/Button';
import { Input } from '@/components/ui/Input';
import { cn } from '@/lib/cn';

export interface InlineFieldProps {
  label: string;
  value: string;
  /** Shown (greyed) when the value is empty, e.g. "Adicionar telefone". */
  placeholder: string;
  /** Saves; resolve to close the editor, or reject with a message to show. */
  onSave: (value: string) => Promise<void>;
  type?: 'text' | 'email' | 'tel';
  required?: boolean;
  /** Renders the value (defaults to the text). */
  display?: ReactNode;
  className?: string;
  /** A bigger, bolder value (the contact's name). */
  prominent?: boolean;
  readOnly?: boolean;
}

/**
 * A value with an edit button: the button turns it into a field; Enter or ✓ saves,
 * Esc or ✕ cancels; the server's error shows under the field.
 */
export function InlineField({
  label,
  value,
  placeholder,
  onSave,
  type = 'text',
  required = false,
  display,
  className,
  prominent = false,
  readOnly = false,
}: InlineFieldProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  const start = () => {
    setDraft(value);
    setError(null);
    setEditing(true);
  };
  const cancel = () => {
    setEditing(false);
    setError(null);
    requestAnimationFrame(() => editRef.current?.focus());
  };
  const save = async () => {
    const next = draft.trim();
    if (required && next === '') {
      setError(t('forms.required'));
      return;
    }
    if (next === value.trim()) {
      cancel();
      return;
    }
    setSaving(true);
    try {
      await onSave(next);
      setEditing(false);
      setError(null);
      requestAnimationFrame(() => editRef.current?.focus());
    } catch (err) {
      setError(err instanceof Error ? err.message : t('errors.generic'));
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <div className={cn('space-y-1', className)}>
        <label htmlFor={id} className="block text-[11px] font-medium uppercase tracking-wide text-slate-500">
          {label}
        </label>
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Input
            id={id}
            ref={inputRef}
            type={type}
            value={draft}
            invalid={error !== null}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                cancel();
              }
            }}
            className="h-8 text-[13px]"
          />
          <Button type="submit" size="icon" variant="secondary" aria-label={t('common.save')} title={t('common.save')} loading={saving}>
            {!saving && <Check aria-hidden="true" className="size-4" />}
          </Button>
          <Button type="button" size="icon" variant="ghost" aria-label={t('common.cancel')} title={t('common.cancel')} onClick={cancel} disabled={saving}>
            <X aria-hidden="true" className="size-4" />
          </Button>
        </form>
        {error && (
          <p id={`${id}-error`} className="text-xs font-medium text-red-700" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className={cn('group', className)}>
      {!prominent && <p className="text-[11px] font-medium uppercase tracking-wide text-slate-500">{label}</p>}
      <div className="flex min-w-0 items-center gap-1">
        <p
          className={cn(
            'min-w-0 flex-1 break-words',
            prominent ? 'text-base font-semibold text-slate-900' : 'text-[13px] text-slate-800',
            value === '' && 'italic text-slate-400',
          )}
          data-testid={prominent ? 'contact-name' : undefined}
        >
          {value === '' ? placeholder : (display ?? value)}
        </p>
        {!readOnly && (
          <Button
            ref={editRef}
            size="icon"
            variant="ghost"
            className="size-7 shrink-0 text-slate-500"
            aria-label={t('contacts.editField', { field: label })}
            title={t('contacts.editField', { field: label })}
            onClick={start}
          >
            <Pencil aria-hidden="true" className="size-3.5" />
          </Button>
        )}
      </div>
    </div>
  );
}
