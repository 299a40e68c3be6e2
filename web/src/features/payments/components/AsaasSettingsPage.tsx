import { RefreshCw } from 'lucide-react';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { CopyField } from '@/components/CopyField';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { useAsaasSettings, useTestAsaasConnection, useUpdateAsaasSettings } from '../api/asaasSettings';
import type { AsaasEnvironment, AsaasSettings } from '../api/keys';

/** Every Asaas API key starts with this. */
const KEY_PREFIX = '$aact_';

/** Settings → Asaas (admins): environment, write-only API key, webhook URL and token. */
export function AsaasSettingsPage() {
  const { t } = useTranslation();
  const settings = useAsaasSettings();
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-[15px] font-semibold text-slate-900">{t('payments.settings.title')}</h2>
        <p className="text-[13px] text-slate-600">{t('payments.settings.subtitle')}</p>
      </div>
      {settings.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(settings.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void settings.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : settings.data === undefined ? (
        <div role="status" className="space-y-4">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 2 }, (_, i) => (
            <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-9 w-full max-w-sm" />
              <Skeleton className="h-9 w-full max-w-sm" />
            </div>
          ))}
        </div>
      ) : (
        <>
          <ConnectionForm key={settings.data.updatedAt ?? 'new'} saved={settings.data} />
          <WebhookCard saved={settings.data} />
        </>
      )}
    </div>
  );
}

function ConnectionForm({ saved }: { saved: AsaasSettings }) {
  const { t } = useTranslation();
  const update = useUpdateAsaasSettings();
  const [environment, setEnvironment] = useState<AsaasEnvironment>(saved.environment);
  const [apiKey, setApiKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const tester = useTestAsaasConnection();
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string } | null>(null);

  const runTest = () => {
    const key = apiKey.trim();
    setTestResult(null);
    if (key !== '' && !key.startsWith(KEY_PREFIX)) {
      setKeyError(t('payments.settings.keyFormat'));
      return;
    }
    if (key === '' && !saved.hasApiKey) {
      setKeyError(t('payments.settings.testNothing'));
      return;
    }
    setKeyError(null);
    const environmentName = t(`payments.settings.environments.${environment}`);
    tester.mutate(
      { environment, ...(key !== '' ? { apiKey: key } : {}) },
      {
        onSuccess: (connection) => {
          setTestResult({
            ok: true,
            text:
              connection.accountName != null
                ? t('payments.settings.testOk', { name: connection.accountName, environment: environmentName })
                : t('payments.settings.testOkUnnamed', { environment: environmentName }),
          });
        },
        onError: (err) => {
          const code = isApiError(err) ? err.code : undefined;
          const text =
            code === 'asaas_auth_failed'
              ? t('payments.settings.testAuthFailed')
              : code === 'invalid_asaas_key'
                ? t('payments.settings.keyFormat')
                : errorMessage(err, t);
          setTestResult({ ok: false, text });
        },
      },
    );
  };

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setFormError(null);
    setKeyError(null);
    const key = apiKey.trim();
    if (key !== '' && !key.startsWith(KEY_PREFIX)) {
      setKeyError(t('payments.settings.keyFormat'));
      return;
    }
    if (!saved.hasApiKey && key === '') {
      setKeyError(t('payments.settings.apiKeyRequired'));
      return;
    }
    update.mutate(
      { environment, ...(key !== '' ? { apiKey: key } : {}) },
      {
        onSuccess: () => {
          setApiKey('');
          toast.success(t('payments.settings.saved'));
        },
        onError: (err) => {
          const fields = isApiError(err) ? err.fieldErrors() : {};
          if (fields.apiKey) {
            setKeyError(t('forms.serverRejected', { detail: fields.apiKey.join('; ') }));
            return;
          }
          setFormError(errorMessage(err, t));
        },
      },
    );
  };

  return (
    <form noValidate onSubmit={submit} aria-label={t('payments.settings.title')}>
      <Card
        title={t('payments.settings.title')}
        actions={
          <Badge tone={saved.configured ? 'green' : 'amber'}>
            {saved.configured ? t('payments.settings.configured') : t('payments.settings.notConfigured')}
          </Badge>
        }
      >
        <div className="space-y-4">
          {formError !== null && <Alert>{formError}</Alert>}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('payments.settings.environment')} hint={t('payments.settings.environmentHint')}>
              {({ invalid, ...c }) => (
                <Select
                  {...c}
                  invalid={invalid}
                  value={environment}
                  onChange={(e) => {
                    setEnvironment(e.target.value as AsaasEnvironment);
                  }}
                >
                  <option value="sandbox">{t('payments.settings.environments.sandbox')}</option>
                  <option value="production">{t('payments.settings.environments.production')}</option>
                </Select>
              )}
            </Field>
            <Field
              label={saved.hasApiKey ? t('payments.settings.apiKeyReplace') : t('payments.settings.apiKey')}
              hint={saved.hasApiKey ? t('payments.settings.apiKeyConfigured') : t('payments.settings.apiKeyHint')}
              error={keyError ?? undefined}
            >
              {({ invalid, ...c }) => (
                <Input
                  {...c}
                  invalid={invalid}
                  type="password"
                  autoComplete="off"
                  placeholder={saved.hasApiKey ? '••••••••' : '$aact_…'}
                  value={apiKey}
                  onChange={(e) => {
                    setApiKey(e.target.value);
                  }}
                />
              )}
            </Field>
          </div>
          {testResult && (
            <p
              role="status"
              data-testid="asaas-test-result"
              className={testResult.ok ? 'rounded-md bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800' : 'rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800'}
            >
              {testResult.text}
            </p>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" loading={tester.isPending} onClick={runTest} title={t('payments.settings.testHint')}>
              {t('payments.settings.test')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {update.isPending ? t('common.saving') : t('common.save')}
            </Button>
          </div>
        </div>
      </Card>
    </form>
  );
}

function WebhookCard({ saved }: { saved: AsaasSettings }) {
  const { t } = useTranslation();
  const update = useUpdateAsaasSettings();
  const [confirm, setConfirm] = useState(false);
  const copied = () => toast.success(t('channelSetup.copied'));
  const failed = () => toast.error(t('channelSetup.copyFailed'));
  return (
    <Card title={t('payments.settings.webhook')} description={t('payments.settings.webhookHelp')}>
      {saved.webhookUrl && saved.webhookToken ? (
        <div className="space-y-3">
          <CopyField
            label={t('payments.settings.webhookUrl')}
            value={saved.webhookUrl}
            copyLabel={t('channelSetup.copy')}
            copiedLabel={t('channelSetup.copied')}
            onCopied={copied}
            onFailed={failed}
            testId="asaas-webhook-url"
          />
          <CopyField
            label={t('payments.settings.webhookToken')}
            value={saved.webhookToken}
            copyLabel={t('channelSetup.copy')}
            copiedLabel={t('channelSetup.copied')}
            onCopied={copied}
            onFailed={failed}
          />
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setConfirm(true);
            }}
          >
            <RefreshCw aria-hidden="true" className="size-3.5" />
            {t('payments.settings.regenerate')}
          </Button>
        </div>
      ) : (
        <p className="text-[13px] text-slate-600">{t('payments.settings.webhookPending')}</p>
      )}
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={t('payments.settings.regenerateTitle')}
        description={t('payments.settings.regenerateBody')}
        confirmLabel={t('payments.settings.regenerate')}
        cancelLabel={t('common.cancel')}
        pending={update.isPending}
        onConfirm={() => {
          update.mutate(
            { regenerateWebhookToken: true },
            {
              onSuccess: () => {
                setConfirm(false);
                toast.success(t('payments.settings.regenerated'));
              },
              onError: (err) => {
                setConfirm(false);
                toast.error(errorMessage(err, t));
              },
            },
          );
        }}
      />
    </Card>
  );
}
