import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogContent } from '@/components/ui/Dialog';

/** Below 1280 px the contact panel opens as a sheet (loaded on first use). */
export function ContactSheet({
  open,
  onOpenChange,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t('inbox.contactPanel.label')} closeLabel={t('common.close')} className="sm:max-w-lg">
        {children}
      </DialogContent>
    </Dialog>
  );
}
