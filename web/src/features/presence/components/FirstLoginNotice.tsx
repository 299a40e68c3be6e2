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
          className="fixed inset-x-0 bottom-0 z-50 flex max-h-[92dvh] flex-col rounded-t-xl border border-slate-200 bg-white shadow-xl focus:outline-none sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-[5vh] sm:max-h-[90dvh] sm:w-full sm:max-w-lg sm:-translate-x-1/2 sm:rounded-xl"
        >
          {/* Title and button stay in view; only the explanation scrolls. */}
          <div className="border-b border-slate-100 px-5 py-4">
            <AlertDialog.Title className="text-base font-semibold text-slate-900">{t('presence.notice.title')}</AlertDialog.Title>
          </div>
          <AlertDialog.Description asChild>
            <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">
              <MeasurementExplanation idleMinutes={me.data.settings.idleTimeoutMinutes} />
            </div>
          </AlertDialog.Description>
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 px-5 py-3">
            {ack.isError && (
              <p role="alert" className="mr-auto text-[13px] text-red-700">
                {t('presence.notice.acknowledgeFailed')}
              </p>
            )}
            <Button loading={ack.isPending} onClick={() => { ack.mutate(); }} autoFocus>
              {ack.isPending ? t('presence.notice.acknowledging') : t('presence.notice.acknowledge')}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
