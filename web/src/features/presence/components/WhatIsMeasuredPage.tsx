import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Card } from '@/components/ui/Card';
import { paths } from '@/paths';
import { useActivityMe } from '../api/activity';
import { MeasurementExplanation } from './MeasurementNotice';

/** Settings → O que é medido: the first-login notice, always at hand. */
export function WhatIsMeasuredPage() {
  const { t } = useTranslation();
  const me = useActivityMe();
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-[15px] font-semibold text-slate-900">{t('presence.notice.pageTitle')}</h2>
        <p className="text-[13px] text-slate-600">{t('presence.notice.pageSubtitle')}</p>
      </div>
      <Card title={t('presence.notice.title')}>
        <MeasurementExplanation idleMinutes={me.data?.settings.idleTimeoutMinutes} />
        <p className="mt-4">
          <Link
            to={paths.settingsMyActivity}
            className="text-[13px] font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
          >
            {t('presence.notice.seeMine')}
          </Link>
        </p>
      </Card>
    </div>
  );
}
