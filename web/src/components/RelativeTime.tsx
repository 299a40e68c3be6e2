import { useTranslation } from 'react-i18next';
import { formatDateTime, relativeTime } from '@/lib/format';

/** "há 3 min" / "3 min ago", with the full date and time on hover and for screen readers. */
export function RelativeTime({ value, now, className }: { value: string | null | undefined; now: Date; className?: string }) {
  const { t, i18n } = useTranslation();
  const rel = relativeTime(value, now, i18n.language);
  if (rel === null || !value) return null;
  const text =
    rel.kind === 'now'
      ? t('time.now')
      : rel.kind === 'minutes'
        ? t('time.minutesAgo', { count: rel.count })
        : rel.kind === 'hours'
          ? t('time.hoursAgo', { count: rel.count })
          : rel.kind === 'yesterday'
            ? t('time.yesterday')
            : rel.text;
  return (
    <time dateTime={value} title={formatDateTime(value, i18n.language)} className={className}>
      {text}
    </time>
  );
}
