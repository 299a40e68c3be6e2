import { AlarmClock, BellRing } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '@/components/ui/Button';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { errorMessage } from '@/lib/errorMessage';
import type { Conversation } from '../api/keys';
import { useUpdateConversation } from '../api/updateConversation';
import { formatSnooze, isSnoozed, parseLocalDateTime, SNOOZE_PRESETS, snoozeBody, snoozeUntil, type SnoozePreset } from '../snooze';

/** Snooze (presets or a custom date-time) and wake up now; the server wakes it on time. */
export function SnoozeControl({ conversation: c }: { conversation: Conversation }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateConversation();
  const [custom, setCustom] = useState(false);
  const [when, setWhen] = useState('');
  const [invalid, setInvalid] = useState(false);

  const send = (until: Date | null) => {
    update.mutate(
      { id: c.id, patch: snoozeBody(until) },
      {
        onSuccess: (conv) => {
          setCustom(false);
          setWhen('');
          toast.success(
            until === null
              ? t('inbox.snooze.woken')
              : t('inbox.snooze.done', { when: formatSnooze(conv.snoozedUntil ?? until.toISOString(), i18n.language) }),
          );
        },
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  if (isSnoozed(c.snoozedUntil, new Date()) && c.snoozedUntil) {
    return (
      <span className="flex shrink-0 items-center gap-1.5">
        <span className="inline-flex items-center gap-1 text-xs font-medium text-amber-800" data-testid="snoozed-until">
          <AlarmClock aria-hidden="true" className="size-3.5" />
          {t('inbox.snooze.until', { when: formatSnooze(c.snoozedUntil, i18n.language) })}
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            send(null);
          }}
          loading={update.isPending}
        >
          {!update.isPending && <BellRing aria-hidden="true" className="size-4" />}
          {t('inbox.snooze.wake')}
        </Button>
      </span>
    );
  }
  if (c.status === 'RESOLVED') return null;

  if (custom) {
    return (
      <form
        className="flex shrink-0 items-center gap-1.5"
        onSubmit={(e) => {
          e.preventDefault();
          const date = parseLocalDateTime(when);
          if (date === null || date.getTime() <= Date.now()) {
            setInvalid(true);
            return;
          }
          send(date);
        }}
      >
        <label className="sr-only" htmlFor={`snooze-${c.id}`}>
          {t('inbox.snooze.customLabel')}
        </label>
        <Input
          id={`snooze-${c.id}`}
          type="datetime-local"
          value={when}
          invalid={invalid}
          aria-describedby={invalid ? `snooze-${c.id}-err` : undefined}
          onChange={(e) => {
            setWhen(e.target.value);
            setInvalid(false);
          }}
          className="h-8 w-auto text-[13px]"
        />
        <Button size="sm" type="submit" loading={update.isPending}>
          {t('inbox.snooze.confirm')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          type="button"
          onClick={() => {
            setCustom(false);
            setInvalid(false);
          }}
        >
          {t('common.cancel')}
        </Button>
        {invalid && (
          <span id={`snooze-${c.id}-err`} role="alert" className="text-xs text-red-700">
            {t('inbox.snooze.invalid')}
          </span>
        )}
      </form>
    );
  }

  return (
    <label className="flex min-w-0 shrink-0 items-center gap-1.5 text-xs text-slate-600">
      <AlarmClock aria-hidden="true" className="size-4 text-slate-500" />
      <span className="sr-only">{t('inbox.snooze.label')}</span>
      <Select
        value=""
        disabled={update.isPending}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'custom') setCustom(true);
          else if ((SNOOZE_PRESETS as readonly string[]).includes(v)) send(snoozeUntil(v as SnoozePreset, new Date()));
        }}
        className="h-8 w-auto max-w-44 text-[13px]"
      >
        <option value="">{t('inbox.snooze.label')}</option>
        {SNOOZE_PRESETS.map((p) => (
          <option key={p} value={p}>
            {t(`inbox.snooze.presets.${p}`)}
          </option>
        ))}
        <option value="custom">{t('inbox.snooze.presets.custom')}</option>
      </Select>
    </label>
  );
}
