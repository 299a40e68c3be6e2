import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/Button';
import { useAcknowledgeNotice, useActivityMe } from '../api/activity';
import { MeasurementExplanation } from './MeasurementNotice';

/** Shown once per person (until `POST /activity/notice`): what is measured, before any report of it. */
export function FirstLoginNotice() {
  const { t } = useTranslation();
  const me = useActivityMe();
  const ack = useAcknowledgeNotice();
  if (!me.isSuccess || me.data.noticeAcknowledged) return null;
  return (
    <AlertDialog.Root open>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content
          data-testid="measurement-notice"
          onEscapeKeyDown={(e) => {
            e.preventDefault();
          }}
          className="fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl border border-slate-200 bg-white p-5 shadow-xl focus:outline-none sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-[8vh] sm:w-full sm:max-w-lg sm:-translate-x-1/2 sm:rounded-xl"
        >
          <AlertDialog.Title className="mb-3 text-base font-semibold text-slate-900">{t('presence.notice.title')}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div>
              <MeasurementExplanation idleMinutes={me.data.settings.idleTimeoutMinutes} />
            </div>
          </AlertDialog.Description>
          {ack.isError && (
            <p role="alert" className="mt-3 text-[13px] text-red-700">
              {t('presence.notice.acknowledgeFailed')}
            </p>
          )}
          <div className="mt-5 flex justify-end">
            <Button loading={ack.isPending} onClick={() => { ack.mutate(); }} autoFocus>
              {ack.isPending ? t('presence.notice.acknowledging') : t('presence.notice.acknowledge')}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
