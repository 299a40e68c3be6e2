import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { SwitchField } from '@/components/ui/SwitchField';
import { ROLES, useSession } from '@/features/auth';
import { applyFieldErrors, isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { fieldErrorText, msg, v } from '@/lib/forms';
import { useCreateUser } from '../api/createUser';
import type { UserView } from '../api/keys';
import { useUpdateUser, type UpdateUserInput } from '../api/updateUser';

const roleSchema = z.enum(ROLES);

const createSchema = z.object({
  name: v.text(200),
  email: v.email(),
  password: v.password(),
  role: roleSchema,
});
type CreateValues = z.infer<typeof createSchema>;
const CREATE_FIELDS = ['name', 'email', 'password', 'role'] as const;

export function CreateUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t('users.create.title')} description={t('users.create.description')} closeLabel={t('common.close')}>
        <CreateUserForm
          onDone={() => {
            onOpenChange(false);
          }}
        />
      </DialogContent>
    </Dialog>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateValues>({
    resolver: zodResolver(createSchema),
    defaultValues: { name: '', email: '', password: '', role: 'AGENT' },
  });

  const onSubmit = async (values: CreateValues) => {
    setFormError(null);
    try {
      const user = await create.mutateAsync(values);
      toast.success(t('users.create.success', { name: user.name }));
      onDone();
    } catch (err) {
      if (isApiError(err) && err.code === 'email_taken') {
        setError('email', { type: 'server', message: msg('errors.email_taken') }, { shouldFocus: true });
        return;
      }
      if (applyFieldErrors(err, CREATE_FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
      {formError !== null && <Alert>{formError}</Alert>}
      <Field label={t('users.fields.name')} error={fieldErrorText(errors.name, t)}>
        {({ invalid, ...control }) => <Input {...control} {...register('name')} invalid={invalid} autoComplete="off" />}
      </Field>
      <Field label={t('users.fields.email')} error={fieldErrorText(errors.email, t)}>
        {({ invalid, ...control }) => (
          <Input
            {...control}
            {...register('email')}
            invalid={invalid}
            type="email"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
          />
        )}
      </Field>
      <Field label={t('users.fields.password')} hint={t('users.fields.passwordHint')} error={fieldErrorText(errors.password, t)}>
        {({ invalid, ...control }) => (
          <Input {...control} {...register('password')} invalid={invalid} type="password" autoComplete="new-password" />
        )}
      </Field>
      <Field label={t('users.fields.role')} hint={t('users.fields.roleHint')} error={fieldErrorText(errors.role, t)}>
        {({ invalid, ...control }) => (
          <Select {...control} {...register('role')} invalid={invalid}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={isSubmitting}>
          {isSubmitting ? t('common.saving') : t('users.create.submit')}
        </Button>
      </DialogFooter>
    </form>
  );
}

const editSchema = z.object({
  name: v.text(200),
  email: v.email(),
  role: roleSchema,
  active: z.boolean(),
  // Empty keeps the current password.
  password: z.union([z.literal(''), v.password()]),
  // Changing one's own password needs the current one (the server checks it).
  currentPassword: z.string(),
});
type EditValues = z.infer<typeof editSchema>;
const EDIT_FIELDS = ['name', 'email', 'role', 'active', 'password', 'currentPassword'] as const;

export function EditUserDialog({ user, onOpenChange }: { user: UserView | null; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={user !== null} onOpenChange={onOpenChange}>
      {user !== null && (
        <DialogContent title={t('users.edit.title')} description={t('users.edit.description')} closeLabel={t('common.close')}>
          <EditUserForm
            user={user}
            onDone={() => {
              onOpenChange(false);
            }}
          />
        </DialogContent>
      )}
    </Dialog>
  );
}

function EditUserForm({ user, onDone }: { user: UserView; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const isSelf = useSession((s) => s.user?.id === user.id);
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, dirtyFields, isDirty },
  } = useForm<EditValues>({
    resolver: zodResolver(editSchema),
    defaultValues: { name: user.name, email: user.email, role: user.role, active: user.active, password: '', currentPassword: '' },
  });

  const onSubmit = async (values: EditValues) => {
    setFormError(null);
    const patch: UpdateUserInput = {};
    if (dirtyFields.name) patch.name = values.name;
    if (dirtyFields.email) patch.email = values.email;
    if (dirtyFields.role) patch.role = values.role;
    if (dirtyFields.active) patch.active = values.active;
    if (values.password !== '') patch.password = values.password;
    if (values.password !== '' && isSelf) patch.currentPassword = values.currentPassword;
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    try {
      const saved = await update.mutateAsync({ id: user.id, patch });
      toast.success(t('users.edit.success', { name: saved.name }));
      onDone();
    } catch (err) {
      if (isApiError(err) && err.code === 'email_taken') {
        setError('email', { type: 'server', message: msg('errors.email_taken') }, { shouldFocus: true });
        return;
      }
      if (applyFieldErrors(err, EDIT_FIELDS, setError).length > 0) return;
      setFormError(errorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5">
      {formError !== null && <Alert>{formError}</Alert>}
      <Field label={t('users.fields.name')} error={fieldErrorText(errors.name, t)}>
        {({ invalid, ...c }) => <Input {...c} {...register('name')} invalid={invalid} autoComplete="off" />}
      </Field>
      <Field label={t('users.fields.email')} error={fieldErrorText(errors.email, t)}>
        {({ invalid, ...c }) => (
          <Input {...c} {...register('email')} invalid={invalid} type="email" autoComplete="off" autoCapitalize="none" spellCheck={false} />
        )}
      </Field>
      <Field label={t('users.fields.role')} hint={t('users.fields.roleHint')} error={fieldErrorText(errors.role, t)}>
        {({ invalid, ...c }) => (
          <Select {...c} {...register('role')} invalid={invalid}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Controller
        control={control}
        name="active"
        render={({ field }) => (
          <SwitchField
            label={t('users.fields.active')}
            hint={isSelf ? t('users.fields.selfActiveHint') : t('users.fields.activeHint')}
            checked={field.value}
            onCheckedChange={field.onChange}
            disabled={isSelf}
          />
        )}
      />
      <Field label={t('users.fields.newPassword')} hint={t('users.fields.newPasswordHint')} error={fieldErrorText(errors.password, t)}>
        {({ invalid, ...c }) => <Input {...c} {...register('password')} invalid={invalid} type="password" autoComplete="new-password" />}
      </Field>
      {isSelf && (
        <Field label={t('users.fields.currentPassword')} hint={t('users.fields.currentPasswordHint')} error={fieldErrorText(errors.currentPassword, t)}>
          {({ invalid, ...c }) => (
            <Input {...c} {...register('currentPassword')} invalid={invalid} type="password" autoComplete="current-password" />
          )}
        </Field>
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={isSubmitting} disabled={!isDirty}>
          {isSubmitting ? t('common.saving') : t('common.saveChanges')}
        </Button>
      </DialogFooter>
    </form>
  );
}
