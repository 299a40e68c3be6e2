import { zodResolver } from '@hookform/resolvers/zod';
import { MessageSquareText, Pencil, Plus, Search, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { EmptyState } from '@/components/ui/EmptyState';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { applyFieldErrors, isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText, msg, v } from '@/lib/forms';
import type { CannedResponse } from '../api/keys';
import { useCanned } from '../api/listCanned';
import { useCreateCanned, useDeleteCanned, useUpdateCanned } from '../api/mutations';

const VARIABLES = '{{contact.name}}, {{contact.email}}, {{contact.phone}}, {{agent.name}}';

/** Settings → Respostas prontas: managers and admins edit; anyone else reads. */
export function CannedResponsesPage() {
  const { t } = useTranslation();
  const { atLeast } = useRole();
  const canEdit = atLeast('MANAGER');
  const [search, setSearch] = useState('');
  const list = useCanned(search, true);
  const remove = useDeleteCanned();
  const [dialog, setDialog] = useState<{ item: CannedResponse | null } | null>(null);
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  const items = list.data ?? [];

  const openCreate = () => {
    setDialog({ item: null });
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-[15px] font-semibold text-slate-900">{t('canned.title')}</h2>
          <p className="text-[13px] text-slate-600">{canEdit ? t('canned.subtitle') : t('canned.readOnly')}</p>
        </div>
        {canEdit && (
          <Button onClick={openCreate}>
            <Plus aria-hidden="true" className="size-4" />
            {t('canned.new')}
          </Button>
        )}
      </div>

      <label className="relative block max-w-sm">
        <span className="sr-only">{t('canned.search')}</span>
        <Search aria-hidden="true" className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" />
        <Input
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
          }}
          placeholder={t('canned.searchPlaceholder')}
          className="pl-8"
        />
      </label>

      {list.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(list.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void list.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : list.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-14 w-full rounded-lg" />
          ))}
        </div>
      ) : items.length === 0 ? (
        <EmptyState
          icon={MessageSquareText}
          title={search.trim() ? t('canned.empty.filteredTitle') : t('canned.empty.title')}
          body={search.trim() ? t('canned.empty.filtered') : canEdit ? t('canned.empty.body') : t('canned.empty.readOnly')}
          action={
            canEdit && !search.trim() ? (
              <Button onClick={openCreate}>
                <Plus aria-hidden="true" className="size-4" />
                {t('canned.new')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label={t('canned.title')}>
          {items.map((item) => (
            <li key={item.id} className="flex items-start gap-3 px-4 py-3" data-testid="canned-row">
              <div className="min-w-0 flex-1">
                <p className="font-mono text-[13px] font-medium text-brand-800">/{item.shortCode}</p>
                <p className="mt-0.5 line-clamp-2 text-[13px] whitespace-pre-wrap text-slate-700">{item.content}</p>
              </div>
              {canEdit && (
                <div className="flex shrink-0 gap-1">
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={t('canned.editLabel', { code: item.shortCode })}
                    title={t('common.edit')}
                    onClick={() => {
                      setDialog({ item });
                    }}
                  >
                    <Pencil aria-hidden="true" className="size-4" />
                  </Button>
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={t('canned.deleteLabel', { code: item.shortCode })}
                    title={t('common.delete')}
                    onClick={() => {
                      setDeleting(item);
                    }}
                  >
                    <Trash2 aria-hidden="true" className="size-4" />
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      {canEdit && (
        <Dialog
          open={dialog !== null}
          onOpenChange={(open) => {
            if (!open) setDialog(null);
          }}
        >
          {dialog !== null && (
            <DialogContent
              title={dialog.item === null ? t('canned.create.title') : t('canned.edit.title')}
              description={t('canned.variablesHint', { vars: VARIABLES })}
              closeLabel={t('common.close')}
            >
              <CannedForm
                item={dialog.item}
                onDone={() => {
                  setDialog(null);
                }}
              />
            </DialogContent>
          )}
        </Dialog>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title={t('canned.delete.title')}
        description={t('canned.delete.body', { code: deleting?.shortCode ?? '' })}
        confirmLabel={t('common.delete')}
        cancelLabel={t('common.cancel')}
        pending={remove.isPending}
        onConfirm={() => {
          if (deleting === null) return;
          remove.mutate(deleting.id, {
            onSuccess: () => {
              toast.success(t('canned.delete.success'));
              setDeleting(null);
            },
            onError: (err) => toast.error(errorMessage(err, t)),
          });
        }}
      />
    </div>
  );
}

const schema = z.object({
  shortCode: v.text(60).pipe(z.string().regex(/^[\p{L}\p{N}_-]+$/u, msg('canned.invalidShortCode'))),
  content: v.text(10000),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['shortCode', 'content'] as const;

function CannedForm({ item, onDone }: { item: CannedResponse | null; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateCanned();
  const update = useUpdateCanned();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { shortCode: item?.shortCode ?? '', content: item?.content ?? '' },
  });

  const onSubmit = async (values: Values) => {
    setFormError(null);
    try {
      if (item === null) {
        await create.mutateAsync(values);
        toast.success(t('canned.create.success', { code: values.shortCode }));
      } else {
        const patch = {
          ...(dirtyFields.shortCode ? { shortCode: values.shortCode } : {}),
          ...(dirtyFields.content ? { content: values.content } : {}),
        };
        if (Object.keys(patch).length > 0) {
          await update.mutateAsync({ id: item.id, patch });
          toast.success(t('canned.edit.success', { code: values.shortCode }));
        }
      }
      onDone();
    } catch (err) {
      if (isApiError(err) && err.code === 'short_code_taken') {
        setError('shortCode', { type: 'server', message: msg('errors.short_code_taken') }, { shouldFocus: true });
        return;
      }
      if (applyFieldErrors(err, FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
      {formError !== null && <Alert>{formError}</Alert>}
      <Field label={t('canned.fields.shortCode')} hint={t('canned.fields.shortCodeHint')} error={fieldErrorText(errors.shortCode, t)}>
        {({ invalid, ...c }) => <Input {...c} {...register('shortCode')} invalid={invalid} autoComplete="off" />}
      </Field>
      <Field label={t('canned.fields.content')} error={fieldErrorText(errors.content, t)}>
        {({ invalid, ...c }) => (
          <textarea
            {...c}
            {...register('content')}
            rows={5}
            className={
              'block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus-visible:outline-2 focus-visible:outline-offset-1 ' +
              (invalid ? 'border-red-600 focus-visible:outline-red-600' : 'border-slate-300 focus-visible:outline-brand-600')
            }
          />
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={isSubmitting}>
          {isSubmitting ? t('common.saving') : item === null ? t('canned.create.submit') : t('common.saveChanges')}
        </Button>
      </DialogFooter>
    </form>
  );
}
