import { zodResolver } from '@hookform/resolvers/zod';
import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod/mini';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { isApiError } from '@/lib/api';
import type { ParseKeys } from 'i18next';
import { useLogin } from '../api/login';
import type { LoginInput, Session } from '../api/types';
import { loginErrorMessage } from './loginError';

const LAST_WORKSPACE_KEY = 'atende.lastWorkspace';

// Messages are i18n keys, translated at render time so a language switch applies at once.
const required = 'auth.validation.required' satisfies ParseKeys;
const schema = z.object({
  workspace: z.string().check(z.trim(), z.minLength(1, required)),
  email: z.pipe(
    z.string().check(z.trim(), z.minLength(1, required)),
    z.email('auth.validation.email' satisfies ParseKeys),
  ),
  password: z.string().check(z.minLength(1, required)),
});

type FormValues = z.infer<typeof schema>;
const FIELDS = ['workspace', 'email', 'password'] as const;

function lastWorkspace(): string {
  try {
    return localStorage.getItem(LAST_WORKSPACE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function LoginForm({ onSuccess }: { onSuccess: (session: Session) => void }) {
  const { t } = useTranslation();
  const [showPassword, setShowPassword] = useState(false);
  const loginMutation = useLogin();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormValues>({
    resolver: zodResolver(schema),
    defaultValues: { workspace: lastWorkspace(), email: '', password: '' },
  });

  const onSubmit = async (values: FormValues) => {
    const input: LoginInput = values;
    try {
      const res = await loginMutation.mutateAsync(input);
      try {
        localStorage.setItem(LAST_WORKSPACE_KEY, values.workspace);
      } catch {
        // Storage unavailable: only the convenience is lost.
      }
      onSuccess({ user: res.user, tenant: res.tenant });
    } catch (err) {
      // The banner shows the error; for validation_failed also mark the fields the server named.
      const rejected = isApiError(err) ? err.fieldNames() : [];
      for (const field of FIELDS) {
        if (rejected.includes(field)) setError(field, { message: 'auth.validation.serverRejected' });
      }
    }
  };

  const busy = isSubmitting || loginMutation.isPending;
  const fieldError = (name: keyof FormValues) => {
    const msg = errors[name]?.message;
    return msg ? t(msg as ParseKeys) : undefined;
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-4" aria-busy={busy}>
      {loginMutation.isError && <Alert>{loginErrorMessage(loginMutation.error, t)}</Alert>}

      <Field label={t('auth.login.workspace')} hint={t('auth.login.workspaceHint')} error={fieldError('workspace')}>
        {({ invalid, ...control }) => (
          <Input
            {...control}
            {...register('workspace')}
            invalid={invalid}
            type="text"
            autoComplete="organization"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            placeholder={t('auth.login.workspacePlaceholder')}
          />
        )}
      </Field>

      <Field label={t('auth.login.email')} error={fieldError('email')}>
        {({ invalid, ...control }) => (
          <Input
            {...control}
            {...register('email')}
            invalid={invalid}
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            placeholder={t('auth.login.emailPlaceholder')}
          />
        )}
      </Field>

      <Field label={t('auth.login.password')} error={fieldError('password')}>
        {({ invalid, ...control }) => (
          <div className="relative">
            <Input
              {...control}
              {...register('password')}
              invalid={invalid}
              type={showPassword ? 'text' : 'password'}
              autoComplete="current-password"
              className="pr-10"
            />
            <button
              type="button"
              onClick={() => {
                setShowPassword((v) => !v);
              }}
              aria-label={showPassword ? t('auth.login.hidePassword') : t('auth.login.showPassword')}
              aria-pressed={showPassword}
              className="absolute inset-y-0 right-0 flex w-9 items-center justify-center rounded-r-md text-slate-500 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              {showPassword ? <EyeOff aria-hidden="true" className="size-4" /> : <Eye aria-hidden="true" className="size-4" />}
            </button>
          </div>
        )}
      </Field>

      <Button type="submit" loading={busy} className="w-full">
        {busy ? t('auth.login.submitting') : t('auth.login.submit')}
      </Button>
    </form>
  );
}
