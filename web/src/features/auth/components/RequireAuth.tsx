import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Spinner } from '@/components/ui/Spinner';
import { loginWithNext, paths } from '@/paths';
import { useMe } from '../api/me';
import { useSession } from '../hooks/useSession';

/**
 * Renders its children only with a session. Without one it asks `GET /auth/me`
 * (the cookie may still be valid after a reload); a 401 sends the user to
 * `/login?next=<here>`. After an explicit logout it goes straight to `/login`.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const status = useSession((s) => s.status);
  const me = useMe(status === 'unknown');

  if (status === 'authenticated') return children;
  if (status === 'signedOut') return <Navigate to={paths.login} replace />;

  if (me.isError) {
    if (me.error.status === 401) {
      return <Navigate to={loginWithNext(location.pathname + location.search + location.hash)} replace />;
    }
    return (
      <div className="flex min-h-dvh items-center justify-center p-4">
        <div className="w-full max-w-sm space-y-3">
          <Alert>{t('auth.sessionError')}</Alert>
          <Button variant="secondary" onClick={() => void me.refetch()} className="w-full">
            {t('common.retry')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="flex min-h-dvh items-center justify-center gap-2 text-slate-600" role="status">
      <Spinner className="size-5 text-brand-600" />
      <span>{t('common.loading')}</span>
    </div>
  );
}
