import { BellRing } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/Button';
import { dismissNotifications, notificationPermission, notificationsDismissed, requestNotifications } from '../notifications';

/** Offers browser notifications once, with a clear "not now". Never asks on page load. */
export function NotificationBanner() {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(() => notificationPermission() === 'default' && !notificationsDismissed());
  if (!visible) return null;
  return (
    <div className="border-b border-sky-200 bg-sky-50 px-3 py-2 text-[13px] text-sky-900" role="region" aria-label={t('inbox.notifications.label')}>
      <p className="flex items-start gap-2">
        <BellRing aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span className="min-w-0 flex-1">{t('inbox.notifications.prompt')}</span>
      </p>
      <div className="mt-1.5 flex justify-end gap-1">
        <Button
          size="sm"
          variant="secondary"
          className="h-7"
          onClick={() => {
            void requestNotifications().then(() => {
              setVisible(false);
            });
          }}
        >
          {t('inbox.notifications.enable')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="h-7"
          onClick={() => {
            dismissNotifications();
            setVisible(false);
          }}
        >
          {t('inbox.notifications.later')}
        </Button>
      </div>
    </div>
  );
}
