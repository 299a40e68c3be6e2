import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { applyFieldErrors, isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText, msg, v } from '@/lib/forms';
import { useCreateTeam } from '../api/createTeam';
import type { TeamView } from '../api/keys';
import { useUpdateTeam } from '../api/updateTeam';

const schema = z.object({
  name: v.text(120),
  description: z
    .string()
    .trim()
    .max(2000, msg('forms.maxLength', { count: 2000 })),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['name', 'description'] as const;

/** Create a team (`team` null) or rename / re-describe one. */
export function TeamDialog({
  open,
  team,
  onOpenChange,
  onSaved,
}: {
  open: boolean;
  team: TeamView | null;
  onOpenChange: (open: boolean) => void;
  onSaved?: (team: TeamView) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {open && (
        <DialogContent
          title={team === null ? t('teams.create.title') : t('teams.edit.title')}
          description={team === null ? t('teams.create.description') : undefined}
          closeLabel={t('common.close')}
        >
          <TeamForm
            team={team}
            onDone={(saved) => {
              onOpenChange(false);
              onSaved?.(saved);
            }}
          />
        </DialogContent>
      )}
    </Dialog>
  );
}

function TeamForm({ team, onDone }: { team: TeamView | null; onDone: (team: TeamView) => void }) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: team?.name ?? '', description: team?.description ?? '' },
  });

  const onSubmit = async (values: Values) => {
    setFormError(null);
    try {
      let saved: TeamView;
      if (team === null) {
        saved = await create.mutateAsync({ name: values.name, description: values.description || null });
        toast.success(t('teams.create.success', { name: saved.name }));
      } else {
        const patch = {
          ...(dirtyFields.name ? { name: values.name } : {}),
          ...(dirtyFields.description ? { description: values.description || null } : {}),
        };
        saved = Object.keys(patch).length === 0 ? team : await update.mutateAsync({ id: team.id, patch });
        if (saved !== team) toast.success(t('teams.edit.success', { name: saved.name }));
      }
      onDone(saved);
    } catch (err) {
      if (isApiError(err) && err.code === 'team_name_taken') {
        setError('name', { type: 'server', message: msg('errors.team_name_taken') }, { shouldFocus: true });
        return;
      }
      if (applyFieldErrors(err, FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
      {formError !== null && <Alert>{formError}</Alert>}
      <Field label={t('teams.fields.name')} error={fieldErrorText(errors.name, t)}>
        {({ invalid, ...c }) => <Input {...c} {...register('name')} invalid={invalid} autoComplete="off" />}
      </Field>
      <Field
        label={
          <>
            {t('teams.fields.description')} <span className="font-normal text-slate-500">({t('common.optional')})</span>
          </>
        }
        error={fieldErrorText(errors.description, t)}
      >
        {({ invalid, ...c }) => (
          <textarea
            {...c}
            {...register('description')}
            rows={3}
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
          {isSubmitting ? t('common.saving') : team === null ? t('teams.create.submit') : t('common.saveChanges')}
        </Button>
      </DialogFooter>
    </form>
  );
}
