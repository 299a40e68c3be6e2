import { useId } from 'react';
import { Switch } from './Switch';

export interface SwitchFieldProps {
  label: string;
  hint?: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  name?: string;
}

/** A labelled on/off switch with a hint underneath, for boolean form fields. */
export function SwitchField({ label, hint, checked, onCheckedChange, disabled, name }: SwitchFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="flex items-start justify-between gap-4">
      <div className="min-w-0">
        <label htmlFor={id} className="block text-[13px] font-medium text-slate-700">
          {label}
        </label>
        {hint !== undefined && (
          <p id={hintId} className="mt-0.5 text-xs text-slate-500">
            {hint}
          </p>
        )}
      </div>
      <Switch
        id={id}
        name={name}
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
        aria-describedby={hint !== undefined ? hintId : undefined}
        className="mt-0.5"
      />
    </div>
  );
}
