import { Check, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';

/** What is measured, what is not, why and who sees it: the notice and its page share this text. */
export function MeasurementExplanation({ idleMinutes }: { idleMinutes: number | undefined }) {
  const { t } = useTranslation();
  const measured = t('presence.notice.measured', { returnObjects: true });
  const notMeasured = t('presence.notice.notMeasured', { returnObjects: true });
  return (
    <div className="space-y-4 text-[13px] leading-relaxed text-slate-700">
      <p>{t('presence.notice.intro')}</p>
      <section>
        <h3 className="mb-1.5 text-sm font-semibold text-slate-900">{t('presence.notice.measuredTitle')}</h3>
        <ul className="space-y-1.5">
          {measured.map((line) => (
            <li key={line} className="flex gap-2">
              <Check aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
              <span>{line}</span>
            </li>
          ))}
        </ul>
        {idleMinutes !== undefined && <p className="mt-2 text-slate-600">{t('presence.notice.timeout', { count: idleMinutes })}</p>}
      </section>
      <section>
        <h3 className="mb-1.5 text-sm font-semibold text-slate-900">{t('presence.notice.notMeasuredTitle')}</h3>
        <ul className="space-y-1.5" data-testid="not-measured">
          {notMeasured.map((line) => (
            <li key={line} className="flex gap-2">
              <X aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600" />
              <span>{line}</span>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3 className="mb-1 text-sm font-semibold text-slate-900">{t('presence.notice.whyTitle')}</h3>
        <p>{t('presence.notice.why')}</p>
      </section>
      <section>
        <h3 className="mb-1 text-sm font-semibold text-slate-900">{t('presence.notice.whoTitle')}</h3>
        <p>{t('presence.notice.who')}</p>
      </section>
    </div>
  );
}
