import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitcher } from '@/components/LanguageSwitcher';
import { Logo } from '@/components/Logo';
import { safeNext } from '@/paths';
import { useSession } from '../hooks/useSession';
import { LoginForm } from './LoginForm';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const signedIn = useSession((s) => s.user !== null);

  useEffect(() => {
    document.title = `${t('auth.login.title')} · ${t('app.name')}`;
  }, [t]);

  if (signedIn) return <Navigate to={next} replace />;

  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-b from-brand-50 to-slate-50">
      <header className="flex items-center justify-between px-4 py-3 sm:px-6">
        <Logo />
        <LanguageSwitcher />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-12 pt-6 sm:items-center sm:pt-0">
        <div className="w-full max-w-sm">
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-7">
            <h1 className="text-lg font-semibold tracking-tight text-slate-900">{t('auth.login.title')}</h1>
            <p className="mb-5 mt-1 text-[13px] text-slate-600">{t('auth.login.subtitle')}</p>
            <LoginForm
              onSuccess={() => {
                void navigate(next, { replace: true });
              }}
            />
          </div>
          <p className="mt-4 text-center text-xs text-slate-500">{t('app.tagline')}</p>
        </div>
      </main>
    </div>
  );
}
