import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { paths } from '@/paths';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="p-4 sm:p-6">
      <h1 className="text-base font-semibold text-slate-900">{t('notFound.title')}</h1>
      <p className="mt-1 text-[13px] text-slate-600">{t('notFound.body')}</p>
      <Link to={paths.home} className="mt-3 inline-block text-[13px] font-medium text-brand-700 underline underline-offset-2">
        {t('notFound.back')}
      </Link>
    </div>
  );
}
