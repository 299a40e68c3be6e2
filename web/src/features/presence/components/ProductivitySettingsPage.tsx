import { zodResolver } from '@hookform/resolvers/zod';
import { Lock } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm, useWatch, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Skeleton } from '@/components/ui/Skeleton';
import { SwitchField } from '@/components/ui/SwitchField';
import { useRole } from '@/features/auth';
import { applyFieldErrors } from '@/lib/api';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText } from '@/lib/forms';
import type { ProductivitySettings } from '../api/keys';
import { useProductivitySettings, useUpdateProductivitySettings } from '../api/productivitySettings';
import { capFromInput, FIELDS, LIMITS, schema, toValues, type NumberKey, type Values } from '../settingsForm';

/** Settings → Produtividade: managers read; admins save. Changes reach connected clients live. */
export function ProductivitySettingsPage() {
  const { t } = useTranslation();
  const settings = useProductivitySettings();
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-[15px] font-semibold text-slate-900">{t('presence.settings.title')}</h2>
        <p className="text-[13px] text-slate-600">{t('presence.settings.subtitle')}</p>
      </div>
      {settings.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(settings.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void settings.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : settings.isPending ? (
        <div role="status" className="space-y-4">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 2 }, (_, i) => (
            <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-9 w-full max-w-sm" />
            </div>
          ))}
        </div>
      ) : (
        <SettingsForm saved={settings.data} />
      )}
    </div>
  );
}

function SettingsForm({ saved }: { saved: ProductivitySettings }) {
  const { t } = useTranslation();
  const { isAdmin } = useRole();
  const update = useUpdateProductivitySettings();
  const [formError, setFormError] = useState<string | null>(null);
  const values = toValues(saved);
  const {
    register,
    control,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema), values, resetOptions: { keepDirtyValues: false } });
  const autoLogout = useWatch({ control, name: 'autoLogout' });
  const routing = useWatch({ control, name: 'presenceRouting' });

  const onSubmit = async (next: Values) => {
    setFormError(null);
    try {
      // The whole object: fields the server added and this form does not know are sent back as they were.
      const answer = await update.mutateAsync({ ...saved, ...next });
      reset(toValues(answer));
      toast.success(t('presence.settings.saved'));
    } catch (err) {
      if (applyFieldErrors(err, FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  const switchField = (name: 'autoLogout' | 'presenceRouting' | 'requeueOnOffline') => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <SwitchField
          label={t(`presence.settings.fields.${name}`)}
          hint={t(`presence.settings.fields.${name}Hint`)}
          checked={field.value}
          onCheckedChange={field.onChange}
          disabled={!isAdmin}
        />
      )}
    />
  );

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-4" aria-label={t('presence.settings.title')}>
      {!isAdmin && (
        <p className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          <Lock aria-hidden="true" className="size-4 shrink-0" />
          {t('settings.readOnly')}
        </p>
      )}
      {formError !== null && <Alert>{formError}</Alert>}
      <fieldset disabled={!isAdmin} className="space-y-4">
        <Card title={t('presence.settings.sections.idle')}>
          <div className="grid gap-4 sm:grid-cols-3">
            <NumberField name="idleTimeoutMinutes" register={register} error={errors.idleTimeoutMinutes} />
            <NumberField name="serverTimeoutMinutes" register={register} error={errors.serverTimeoutMinutes} />
            <NumberField name="offlineTimeoutMinutes" register={register} error={errors.offlineTimeoutMinutes} />
          </div>
        </Card>
        <Card title={t('presence.settings.sections.autoLogout')}>
          <div className="space-y-4">
            {switchField('autoLogout')}
            <div className={autoLogout ? undefined : 'opacity-60'}>
              <NumberField name="autoLogoutGraceMinutes" register={register} error={errors.autoLogoutGraceMinutes} disabled={!autoLogout} />
            </div>
          </div>
        </Card>
        <Card title={t('presence.settings.sections.routing')}>
          <div className="space-y-4">
            {switchField('presenceRouting')}
            <div className={routing ? undefined : 'opacity-60'}>
              <Field
                label={t('presence.settings.fields.maxOpenPerAgent')}
                hint={t('presence.settings.fields.maxOpenPerAgentHint')}
                error={fieldErrorText(errors.maxOpenPerAgent, t)}
              >
                {({ invalid, ...c }) => (
                  <div className="flex max-w-[14rem] items-center gap-2">
                    <Input
                      {...c}
                      {...register('maxOpenPerAgent', { setValueAs: capFromInput })}
                      invalid={invalid}
                      type="number"
                      inputMode="numeric"
                      min={LIMITS.maxOpenPerAgent[0]}
                      max={LIMITS.maxOpenPerAgent[1]}
                      step={1}
                    />
                    <span className="shrink-0 text-[13px] text-slate-600">{t('presence.settings.units.conversations')}</span>
                  </div>
                )}
              </Field>
            </div>
            {switchField('requeueOnOffline')}
          </div>
        </Card>
      </fieldset>
      {isAdmin && (
        <div
          className={cn(
            'z-10 flex items-center justify-end gap-2 rounded-lg border border-slate-200 bg-white/95 px-3 py-2.5 backdrop-blur sm:px-4',
            isDirty && 'sticky bottom-[4.5rem] shadow-md sm:bottom-3',
          )}
        >
          <p className="mr-auto hidden text-[13px] text-amber-800 sm:block" role="status">
            {isDirty ? t('common.unsavedChanges') : ''}
          </p>
          <Button
            variant="secondary"
            disabled={!isDirty || isSubmitting}
            onClick={() => {
              setFormError(null);
              reset(values);
            }}
          >
            {t('common.discard')}
          </Button>
          <Button type="submit" disabled={!isDirty} loading={isSubmitting}>
            {isSubmitting ? t('common.saving') : t('common.saveChanges')}
          </Button>
        </div>
      )}
    </form>
  );
}

function NumberField({
  name,
  register,
  error,
  disabled,
}: {
  name: NumberKey;
  register: UseFormRegister<Values>;
  error: Parameters<typeof fieldErrorText>[0];
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [min, max] = LIMITS[name];
  return (
    <Field label={t(`presence.settings.fields.${name}`)} hint={t(`presence.settings.fields.${name}Hint`)} error={fieldErrorText(error, t)}>
      {({ invalid, ...c }) => (
        <div className="flex max-w-[12rem] items-center gap-2">
          <Input
            {...c}
            {...register(name, { valueAsNumber: true })}
            invalid={invalid}
            type="number"
            inputMode="numeric"
            min={min}
            max={max}
            step={1}
            readOnly={disabled}
          />
          <span className="shrink-0 text-[13px] text-slate-600">{t('presence.settings.units.minutes')}</span>
        </div>
      )}
    </Field>
  );
}
