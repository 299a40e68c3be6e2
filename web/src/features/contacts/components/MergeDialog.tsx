import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import type { Contact } from '../api/keys';
import { useMergeContacts } from '../api/mergeContacts';

/** Two contacts that are the same person: pick the one to keep; the other is folded into it. */
export function MergeDialog({
  open,
  onOpenChange,
  contacts,
  onMerged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contacts: [Contact, Contact];
  onMerged: (kept: Contact) => void;
}) {
  const { t } = useTranslation();
  const [keepId, setKeepId] = useState(contacts[0].id);
  const merge = useMergeContacts();
  const keep = contacts.find((c) => c.id === keepId) ?? contacts[0];
  const other = contacts.find((c) => c.id !== keep.id) ?? contacts[1];

  const run = () => {
    merge.mutate(
      { keepId: keep.id, otherId: other.id },
      {
        onSuccess: ({ contact: kept, combinedConversations }) => {
          toast.success(t('contacts.merge.done', { name: kept.name }));
          // Say when two conversations on one channel became one (the older keeps both histories).
          if (combinedConversations.length > 0) {
            toast.info(t('contacts.merge.combined', { count: combinedConversations.length }));
          }
          onMerged(kept);
          onOpenChange(false);
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t('contacts.merge.title')} description={t('contacts.merge.description')} closeLabel={t('common.close')}>
        <fieldset className="space-y-2">
          <legend className="mb-1 text-[13px] font-medium text-slate-700">{t('contacts.merge.keep')}</legend>
          {contacts.map((c) => (
            <label
              key={c.id}
              className={cn(
                'flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2',
                c.id === keepId ? 'border-brand-500 bg-brand-50' : 'border-slate-200 hover:bg-slate-50',
              )}
            >
              <input
                type="radio"
                name="keep"
                value={c.id}
                checked={c.id === keepId}
                onChange={() => {
                  setKeepId(c.id);
                }}
                className="mt-1 accent-brand-600"
              />
              <span className="min-w-0 text-[13px]">
                <span className="block font-medium text-slate-900">{c.name}</span>
                <span className="block truncate text-xs text-slate-600">{[c.phone, c.email].filter(Boolean).join(' · ') || '—'}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="mt-3 text-[13px] text-slate-600">{t('contacts.merge.consequence', { other: other.name, keep: keep.name })}</p>
        {merge.isError && <Alert className="mt-3">{errorMessage(merge.error, t)}</Alert>}
        <DialogFooter>
          <Button
            variant="secondary"
            onClick={() => {
              onOpenChange(false);
            }}
            disabled={merge.isPending}
          >
            {t('common.cancel')}
          </Button>
          <Button onClick={run} loading={merge.isPending}>
            {t('contacts.merge.confirm')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
