import { useTranslation } from 'react-i18next';
import { Dialog, DialogContent } from '@/components/ui/Dialog';

const SHORTCUTS = [
  { keys: ['j', 'Alt+↓'], label: 'next' },
  { keys: ['k', 'Alt+↑'], label: 'previous' },
  { keys: ['r'], label: 'reply' },
  { keys: ['e'], label: 'resolve' },
  { keys: ['Enter'], label: 'send' },
  { keys: ['Shift+Enter'], label: 'newline' },
  { keys: ['/'], label: 'canned' },
  { keys: ['Esc'], label: 'escape' },
  { keys: ['?'], label: 'help' },
] as const;

/** `?`: the keyboard shortcuts of the inbox. */
export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t('inbox.shortcuts.title')} description={t('inbox.shortcuts.description')} closeLabel={t('common.close')}>
        <table className="w-full text-[13px]">
          <caption className="sr-only">{t('inbox.shortcuts.title')}</caption>
          <tbody className="divide-y divide-slate-100">
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <th scope="row" className="py-1.5 pr-3 text-left font-normal text-slate-700">
                  {t(`inbox.shortcuts.${s.label}`)}
                </th>
                <td className="py-1.5 text-right">
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && <span className="mx-1 text-xs text-slate-400">{t('inbox.shortcuts.or')}</span>}
                      <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800">{k}</kbd>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </DialogContent>
    </Dialog>
  );
}
