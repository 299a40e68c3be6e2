import { zodResolver } from '@hookform/resolvers/zod';
import { Check, Copy, KeyRound, Plus, TriangleAlert, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { EmptyState } from '@/components/ui/EmptyState';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { applyFieldErrors } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { formatDate, formatDateTime } from '@/lib/format';
import { fieldErrorText, v } from '@/lib/forms';
import { useCreateToken } from '../api/createToken';
import type { ApiToken } from '../api/keys';
import { useTokens } from '../api/listTokens';
import { useRevokeToken } from '../api/revokeToken';

const LIFETIMES = [30, 90, 365] as const;

function tokenState(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revoked) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Personal API tokens: create (secret shown once), list, revoke. */
export function ApiTokens() {
  const { t, i18n } = useTranslation();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [now] = useState(() => Date.now());

  const onRevoke = () => {
    if (revoking === null) return;
    const token = revoking;
    revoke.mutate(token.id, {
      onSuccess: () => {
        toast.success(t('profile.tokens.revoke.success', { name: token.name }));
        setRevoking(null);
      },
      onError: (err) => {
        toast.error(errorMessage(err, t));
        setRevoking(null);
      },
    });
  };

  const newButton = (
    <Button
      size="sm"
      onClick={() => {
        setCreating(true);
      }}
    >
      <Plus aria-hidden="true" className="size-4" />
      {t('profile.tokens.new')}
    </Button>
  );

  // Active tokens first, newest first within each group.
  const list = [...(tokens.data ?? [])].sort(
    (a, b) => Number(tokenState(a, now) !== 'active') - Number(tokenState(b, now) !== 'active') || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <Card title={t('profile.tokens.title')} description={t('profile.tokens.description')} actions={list.length > 0 ? newButton : undefined} titleId="tokens-title">
      {tokens.isError ? (
        <Alert>{errorMessage(tokens.error, t)}</Alert>
      ) : tokens.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : list.length === 0 ? (
        <EmptyState icon={KeyRound} title={t('profile.tokens.empty.title')} body={t('profile.tokens.empty.body')} action={newButton} className="py-8" />
      ) : (
        <div className="-mx-4 -my-4 overflow-x-auto">
          <table className="w-full text-left text-[13px]">
            <caption className="sr-only">{t('profile.tokens.title')}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  {t('profile.tokens.columns.name')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                  {t('profile.tokens.columns.createdAt')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                  {t('profile.tokens.columns.lastUsedAt')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                  {t('profile.tokens.columns.expiresAt')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('profile.tokens.columns.status')}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.map((token) => {
                const state = tokenState(token, now);
                return (
                  <tr key={token.id} className={state === 'active' ? undefined : 'text-slate-500'} data-testid="api-token">
                    <td className="px-4 py-2">
                      <div className="font-medium text-slate-900">{token.name}</div>
                      <code className="text-xs text-slate-500">{token.prefix}…</code>
                    </td>
                    <td className="hidden whitespace-nowrap px-3 py-2 tabular-nums sm:table-cell">{formatDateTime(token.createdAt, i18n.language)}</td>
                    <td className="hidden whitespace-nowrap px-3 py-2 tabular-nums md:table-cell">
                      {token.lastUsedAt ? formatDateTime(token.lastUsedAt, i18n.language) : t('profile.tokens.notUsed')}
                    </td>
                    <td className="hidden whitespace-nowrap px-3 py-2 tabular-nums md:table-cell">
                      {token.expiresAt ? formatDate(token.expiresAt, i18n.language) : t('profile.tokens.noExpiry')}
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={state === 'active' ? 'green' : state === 'expired' ? 'amber' : 'neutral'}>{t(`profile.tokens.${state}`)}</Badge>
                    </td>
                    <td className="px-2 py-1.5 text-right">
                      {state === 'active' && (
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-label={t('profile.tokens.revoke.action', { name: token.name })}
                          title={t('profile.tokens.revoke.confirm')}
                          className="text-slate-500 hover:bg-red-50 hover:text-red-700"
                          onClick={() => {
                            setRevoking(token);
                          }}
                        >
                          <Trash2 aria-hidden="true" className="size-4" />
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) setRevoking(null);
        }}
        title={t('profile.tokens.revoke.title', { name: revoking?.name ?? '' })}
        description={t('profile.tokens.revoke.body')}
        confirmLabel={t('profile.tokens.revoke.confirm')}
        cancelLabel={t('common.cancel')}
        onConfirm={onRevoke}
        pending={revoke.isPending}
      />
    </Card>
  );
}

const createSchema = z.object({
  name: v.text(120),
  expiresInDays: z.enum(['', ...LIFETIMES.map(String)]),
});
type CreateValues = z.infer<typeof createSchema>;

/**
 * Two steps in one dialog: the form, then the secret with a copy button. The secret
 * lives only in this dialog's state, so closing the dialog forgets it for good.
 */
function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const close = (next: boolean) => {
    if (!next) setCreated(null);
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      {open && (
        <DialogContent
          title={created === null ? t('profile.tokens.create.title') : t('profile.tokens.created.title')}
          description={created === null ? t('profile.tokens.create.description') : undefined}
          closeLabel={t('common.close')}
        >
          {created === null ? (
            <CreateTokenForm onCreated={setCreated} />
          ) : (
            <ShowTokenOnce
              {...created}
              onDone={() => {
                close(false);
              }}
            />
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: { name: string; token: string }) => void }) {
  const { t } = useTranslation();
  const create = useCreateToken();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateValues>({ resolver: zodResolver(createSchema), defaultValues: { name: '', expiresInDays: '90' } });

  const onSubmit = async (values: CreateValues) => {
    setFormError(null);
    try {
      const res = await create.mutateAsync({
        name: values.name,
        ...(values.expiresInDays === '' ? {} : { expiresInDays: Number(values.expiresInDays) }),
      });
      onCreated({ name: res.apiToken.name, token: res.token });
    } catch (err) {
      if (applyFieldErrors(err, ['name', 'expiresInDays'] as const, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
      {formError !== null && <Alert>{formError}</Alert>}
      <Field label={t('profile.tokens.create.name')} error={fieldErrorText(errors.name, t)}>
        {({ invalid, ...c }) => (
          <Input {...c} {...register('name')} invalid={invalid} placeholder={t('profile.tokens.create.namePlaceholder')} autoComplete="off" />
        )}
      </Field>
      <Field label={t('profile.tokens.create.expires')} error={fieldErrorText(errors.expiresInDays, t)}>
        {({ invalid, ...c }) => (
          <Select {...c} {...register('expiresInDays')} invalid={invalid}>
            {LIFETIMES.map((d) => (
              <option key={d} value={String(d)}>
                {t('profile.tokens.create.days', { count: d })}
              </option>
            ))}
            <option value="">{t('profile.tokens.create.never')}</option>
          </Select>
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={isSubmitting}>
          {isSubmitting ? t('common.saving') : t('profile.tokens.create.submit')}
        </Button>
      </DialogFooter>
    </form>
  );
}

function ShowTokenOnce({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
      toast.success(t('profile.tokens.created.copied'));
    } catch {
      toast.error(t('profile.tokens.created.copyFailed'));
    }
  };
  return (
    <div className="space-y-3.5">
      <p className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        {t('profile.tokens.created.body')}
      </p>
      <Field label={t('profile.tokens.created.label', { name })}>
        {({ id, 'aria-describedby': describedBy }) => (
          <div className="flex gap-2">
            <Input
              id={id}
              aria-describedby={describedBy}
              readOnly
              value={token}
              data-testid="new-token"
              className="font-mono text-xs"
              onFocus={(e) => {
                e.currentTarget.select();
              }}
            />
            <Button variant="secondary" onClick={() => void copy()}>
              {copied ? <Check aria-hidden="true" className="size-4 text-brand-700" /> : <Copy aria-hidden="true" className="size-4" />}
              {t('profile.tokens.created.copy')}
            </Button>
          </div>
        )}
      </Field>
      <DialogFooter>
        <Button onClick={onDone}>{t('profile.tokens.created.done')}</Button>
      </DialogFooter>
    </div>
  );
}
