import { Languages } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, isLanguage, setLanguage } from '@/lib/i18n';

/** Native select: keyboard- and screen-reader-friendly with no extra code. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : currentLanguage();
  return (
    <label className="inline-flex items-center gap-1.5 text-[13px] text-slate-600">
      <Languages aria-hidden="true" className="size-4" />
      <span className="sr-only">{t('common.language')}</span>
      <select
        value={value}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void setLanguage(e.target.value);
        }}
        className="h-8 rounded-md border border-slate-300 bg-white px-2 text-[13px] text-slate-800 hover:border-slate-400 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng}>
            {t(`common.languages.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
