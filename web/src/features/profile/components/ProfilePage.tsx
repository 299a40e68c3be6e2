import { zodResolver } from '@hookform/resolvers/zod';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Skeleton } from '@/components/ui/Skeleton';
import { useSession } from '@/features/auth';
import { type Availability, RoleBadge, type UserView, useUpdateUser, useUser } from '@/features/users';
import { applyFieldErrors } from '@/lib/api';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText, msg, v } from '@/lib/forms';
import { ApiTokens } from './ApiTokens';

const AVAILABILITY: Availability[] = ['online', 'busy', 'offline'];
const DOT: Record<Availability, string> = { online: 'bg-emerald-500', busy: 'bg-amber-500', offline: 'bg-slate-400' };

/** Settings → My profile, for everyone: name, password, availability, API tokens. */
export function ProfilePage() {
  const { t } = useTranslation();
  const me = useSession((s) => s.user);
  const user = useUser(me?.id);

  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-[15px] font-semibold text-slate-900">{t('profile.title')}</h2>
        <p className="text-[13px] text-slate-600">{t('profile.subtitle')}</p>
      </div>
      {user.data === undefined ? (
        <div role="status" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-9 w-full max-w-sm" />
        </div>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <DetailsCard user={user.data} />
          <AvailabilityCard user={user.data} />
          <PasswordCard user={user.data} />
        </div>
      )}
      <ApiTokens />
    </div>
  );
}

const nameSchema = z.object({ name: v.text(200) });

function DetailsCard({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<{ name: string }>({ resolver: zodResolver(nameSchema), values: { name: user.name } });

  const onSubmit = async ({ name }: { name: string }) => {
    try {
      const saved = await update.mutateAsync({ id: user.id, patch: { name } });
      reset({ name: saved.name });
      toast.success(t('profile.details.saved'));
    } catch (err) {
      if (applyFieldErrors(err, ['name'] as const, setError).length === 0) toast.error(errorMessage(err, t));
    }
  };

  return (
    <Card title={t('profile.details.title')}>
      <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
        <Field label={t('profile.details.name')} error={fieldErrorText(errors.name, t)}>
          {({ invalid, ...c }) => <Input {...c} {...register('name')} invalid={invalid} autoComplete="name" />}
        </Field>
        <Field label={t('profile.details.email')} hint={t('profile.details.emailHint')}>
          {({ invalid, ...c }) => <Input {...c} invalid={invalid} value={user.email} readOnly disabled />}
        </Field>
        <div className="flex items-center justify-between gap-2">
          <span className="flex items-center gap-2 text-[13px] text-slate-600">
            {t('profile.details.role')}: <RoleBadge role={user.role} />
          </span>
          <Button type="submit" disabled={!isDirty} loading={isSubmitting}>
            {isSubmitting ? t('common.saving') : t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

const passwordSchema = z
  .object({ password: v.password(), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { error: msg('forms.passwordMismatch'), path: ['confirm'] });
type PasswordValues = z.infer<typeof passwordSchema>;

function PasswordCard({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<PasswordValues>({ resolver: zodResolver(passwordSchema), defaultValues: { password: '', confirm: '' } });

  const onSubmit = async ({ password }: PasswordValues) => {
    try {
      await update.mutateAsync({ id: user.id, patch: { password } });
      reset();
      toast.success(t('profile.password.saved'));
    } catch (err) {
      if (applyFieldErrors(err, ['password'] as const, setError).length === 0) toast.error(errorMessage(err, t));
    }
  };

  return (
    <Card title={t('profile.password.title')} description={t('profile.password.description')}>
      <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
        {/* Lets password managers pair the new password with the account. */}
        <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
        <Field label={t('profile.password.new')} error={fieldErrorText(errors.password, t)}>
          {({ invalid, ...c }) => <Input {...c} {...register('password')} invalid={invalid} type="password" autoComplete="new-password" />}
        </Field>
        <Field label={t('profile.password.confirm')} error={fieldErrorText(errors.confirm, t)}>
          {({ invalid, ...c }) => <Input {...c} {...register('confirm')} invalid={invalid} type="password" autoComplete="new-password" />}
        </Field>
        <div className="flex justify-end">
          <Button type="submit" loading={isSubmitting}>
            {isSubmitting ? t('common.saving') : t('profile.password.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function AvailabilityCard({ user }: { user: UserView }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const name = useId();
  const current = (AVAILABILITY as string[]).includes(user.availability) ? (user.availability as Availability) : 'offline';
  const shown = update.isPending && update.variables.patch.availability ? update.variables.patch.availability : current;

  const choose = (availability: Availability) => {
    if (availability === current) return;
    update.mutate(
      { id: user.id, patch: { availability } },
      {
        onSuccess: () => toast.success(t('profile.availability.saved', { value: t(`availability.${availability}`) })),
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  return (
    <Card title={t('profile.availability.title')} description={t('profile.availability.description')} titleId={`${name}-title`}>
      <div role="radiogroup" aria-labelledby={`${name}-title`} className="grid gap-2 sm:grid-cols-3 lg:grid-cols-1 xl:grid-cols-3">
        {AVAILABILITY.map((a) => (
          <label
            key={a}
            className={cn(
              'flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600',
              shown === a ? 'border-brand-400 bg-brand-50' : 'border-slate-200 hover:bg-slate-50',
            )}
          >
            <input
              type="radio"
              name={name}
              value={a}
              checked={shown === a}
              onChange={() => {
                choose(a);
              }}
              className="sr-only"
            />
            <span aria-hidden="true" className={cn('mt-1 size-2.5 shrink-0 rounded-full', DOT[a])} />
            <span>
              <span className="block text-[13px] font-medium text-slate-900">{t(`availability.${a}`)}</span>
              <span className="block text-xs text-slate-600">{t(`profile.availability.hints.${a}`)}</span>
            </span>
          </label>
        ))}
      </div>
    </Card>
  );
}
