import { Construction } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '@/lib/pageTitle';

export type Section = 'dashboard';

/** Placeholder for areas not built yet. */
export function ComingSoon({ section }: { section: Section }) {
  const { t } = useTranslation();
  const name = t(`nav.${section}`);
  usePageTitle(`${name} · ${t('app.name')}`);
  return (
    <div className="p-4 sm:p-6">
      <h1 className="text-base font-semibold text-slate-900">{name}</h1>
      <div className="mt-4 flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
        <Construction aria-hidden="true" className="size-8 text-brand-600" />
        <p className="mt-3 text-sm font-medium text-slate-800">{t('shell.comingSoonTitle')}</p>
        <p className="mt-1 max-w-sm text-[13px] text-slate-600">{t('shell.comingSoonBody', { section: name })}</p>
      </div>
    </div>
  );
}
