import { zodResolver } from '@hookform/resolvers/zod';
import { Lock } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Controller, useForm, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { SwitchField } from '@/components/ui/SwitchField';
import { useRole } from '@/features/auth';
import { applyFieldErrors } from '@/lib/api';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText } from '@/lib/forms';
import { LANGUAGES } from '@/lib/i18n';
import { paths } from '@/paths';
import { useSettings } from '../api/getSettings';
import { useUpdateSettings } from '../api/updateSettings';
import { AGENT_VISIBILITY, changedKeys, FIELDS, LIMITS, schema, toValues, type NumberKey, type Values } from '../settingsForm';

/** Settings → Workspace: everyone with MANAGER+ reads; only admins save. */
export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings();

  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-[15px] font-semibold text-slate-900">{t('workspace.title')}</h2>
        <p className="text-[13px] text-slate-600">{t('workspace.subtitle')}</p>
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
          {Array.from({ length: 3 }, (_, i) => (
            <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-9 w-full max-w-sm" />
              <Skeleton className="h-9 w-full max-w-sm" />
            </div>
          ))}
        </div>
      ) : (
        <SettingsForm saved={toValues(settings.data)} />
      )}
    </div>
  );
}

function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set([current, 'UTC', ...zones]);
  return [...all].sort((a, b) => a.localeCompare(b));
}

function SettingsForm({ saved }: { saved: Values }) {
  const { t } = useTranslation();
  const { isAdmin } = useRole();
  const update = useUpdateSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const zones = useMemo(() => timeZones(saved.timezone), [saved.timezone]);
  const {
    register,
    control,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema), values: saved, resetOptions: { keepDirtyValues: false } });

  const onSubmit = async (values: Values) => {
    setFormError(null);
    const patch = changedKeys(saved, values);
    if (Object.keys(patch).length === 0) return;
    try {
      const next = await update.mutateAsync(patch);
      reset(toValues(next));
      toast.success(t('workspace.saved'));
    } catch (err) {
      if (applyFieldErrors(err, FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-4">
      {!isAdmin && (
        <p className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          <Lock aria-hidden="true" className="size-4 shrink-0" />
          {t('settings.readOnly')}
        </p>
      )}
      {formError !== null && <Alert>{formError}</Alert>}

      <fieldset disabled={!isAdmin} className="space-y-4">
        <Card title={t('workspace.sections.regional')}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('workspace.fields.timezone')} hint={t('workspace.fields.timezoneHint')} error={fieldErrorText(errors.timezone, t)}>
              {({ invalid, ...c }) => (
                <Select {...c} {...register('timezone')} invalid={invalid}>
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z.replaceAll('_', ' ')}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t('workspace.fields.locale')} hint={t('workspace.fields.localeHint')} error={fieldErrorText(errors.locale, t)}>
              {({ invalid, ...c }) => (
                <Select {...c} {...register('locale')} invalid={invalid}>
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {t(`common.languages.${l}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
        </Card>

        <Card title={t('workspace.sections.presence')}>
          <p className="text-[13px] text-slate-600">
            {t('workspace.presenceMoved')}{' '}
            <Link to={paths.settingsProductivity} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
              {t('workspace.presenceMovedLink')}
            </Link>
          </p>
        </Card>

        <Card title={t('workspace.sections.conversations')}>
          <div className="space-y-4">
            <Controller
              control={control}
              name="requireCategoryToResolve"
              render={({ field }) => (
                <SwitchField
                  label={t('workspace.fields.requireCategoryToResolve')}
                  hint={t('workspace.fields.requireCategoryToResolveHint')}
                  checked={field.value}
                  onCheckedChange={field.onChange}
                  disabled={!isAdmin}
                />
              )}
            />
            <Field
              label={t('inboxTools.visibility.label')}
              hint={t('inboxTools.visibility.hint')}
              error={fieldErrorText(errors.agentVisibility, t)}
            >
              {({ invalid, ...c }) => (
                <Select {...c} {...register('agentVisibility')} invalid={invalid} className="max-w-sm">
                  {AGENT_VISIBILITY.map((mode) => (
                    <option key={mode} value={mode}>
                      {t(`inboxTools.visibility.modes.${mode}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <NumberField name="fcrWindowDays" unit={t('workspace.units.days')} register={register} error={errors.fcrWindowDays} />
          </div>
        </Card>

        <Card title={t('workspace.sections.data')}>
          <NumberField
            name="activityRetentionDays"
            unit={t('workspace.units.days')}
            register={register}
            error={errors.activityRetentionDays}
          />
        </Card>
      </fieldset>

      {isAdmin && (
        <div
          className={cn(
            'z-10 flex items-center justify-end gap-2 rounded-lg border border-slate-200 bg-white/95 px-3 py-2.5 backdrop-blur sm:px-4',
            // Stays in view (above the phone's bottom bar) only while there is something to save.
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
              reset(saved);
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
  unit,
  register,
  error,
}: {
  name: NumberKey;
  unit: string;
  register: UseFormRegister<Values>;
  error: Parameters<typeof fieldErrorText>[0];
}) {
  const { t } = useTranslation();
  const [min, max] = LIMITS[name];
  return (
    <Field label={t(`workspace.fields.${name}`)} hint={t(`workspace.fields.${name}Hint`)} error={fieldErrorText(error, t)}>
      {({ invalid, ...c }) => (
        <div className="flex max-w-[12rem] items-center gap-2">
          <Input {...c} {...register(name, { valueAsNumber: true })} invalid={invalid} type="number" inputMode="numeric" min={min} max={max} step={1} />
          <span className="shrink-0 text-[13px] text-slate-600">{unit}</span>
        </div>
      )}
    </Field>
  );
}
