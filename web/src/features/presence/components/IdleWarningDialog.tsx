import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/Button';
import { useLogout } from '@/features/auth';
import { useNow } from '@/lib/useNow';
import { useStayActive } from '../api/activity';
import { formatDuration } from '../clock';
import { usePresenceUi } from '../store';

/**
 * The server's `idle_warning` (auto-logout is on and the agent went idle): a countdown
 * to `logoutAt`, "Continuar ativo" (POST /activity/active) or "Sair". The server ends
 * the session at `logoutAt` (`force_logout`) whatever this shows.
 */
export function IdleWarningDialog() {
  const warning = usePresenceUi((s) => s.warning);
  if (warning === null) return null;
  return <WarningContent logoutAt={warning.logoutAt} />;
}

function WarningContent({ logoutAt }: { logoutAt: string }) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  const stay = useStayActive();
  const logout = useLogout();
  const left = Math.max(0, Math.ceil((Date.parse(logoutAt) - now.getTime()) / 1000));
  const close = () => {
    usePresenceUi.setState({ warning: null });
  };
  const onStay = () => {
    stay.mutate(undefined, { onSuccess: close });
  };
  // mm:ss below an hour.
  const time = formatDuration(left).replace(/^00:/, '');

  return (
    <AlertDialog.Root open>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content
          data-testid="idle-warning"
          className="fixed inset-x-0 bottom-0 z-50 rounded-t-xl border border-slate-200 bg-white p-5 shadow-xl focus:outline-none sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-[18vh] sm:w-full sm:max-w-sm sm:-translate-x-1/2 sm:rounded-xl"
          onEscapeKeyDown={(e) => {
            e.preventDefault();
            onStay();
          }}
        >
          <AlertDialog.Title className="text-base font-semibold text-slate-900">{t('presence.warning.title')}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-[13px] text-slate-600">
            {t('presence.warning.body', { time })}
          </AlertDialog.Description>
          <p className="mt-3 text-center font-mono text-2xl font-semibold tabular-nums text-amber-800" aria-hidden="true">
            {time}
          </p>
          {stay.isError && (
            <p role="alert" className="mt-2 text-[13px] text-red-700">
              {t('presence.warning.stayFailed')}
            </p>
          )}
          <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" loading={logout.isPending} onClick={() => { logout.mutate(); }}>
              {t('presence.warning.leave')}
            </Button>
            <Button loading={stay.isPending} onClick={onStay} autoFocus>
              {t('presence.warning.stay')}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
