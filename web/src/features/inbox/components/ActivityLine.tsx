import { useTranslation } from 'react-i18next';
import type { Schemas } from '@/lib/api';
import { activityLine } from '../activity';

/** A change in the conversation (assignment, status, snooze, categories…) as a small centred line. */
export function ActivityLine({ activity, createdAt }: { activity: Schemas['Activity']; createdAt: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="flex justify-center px-2 py-1" data-testid="activity-line">
      <p className="max-w-[90%] rounded-full bg-slate-100 px-3 py-0.5 text-center text-[11.5px] leading-5 text-slate-600">
        {activityLine(activity, createdAt, t, i18n.language)}
      </p>
    </div>
  );
}
