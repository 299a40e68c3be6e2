import { TriangleAlert } from 'lucide-react';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { ChannelIcon } from '@/components/ChannelIcon';
import { CopyField } from '@/components/CopyField';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { SwitchField } from '@/components/ui/SwitchField';
import { isApiError } from '@/lib/api';
import { cn } from '@/lib/cn';
import { useCreateChannel } from '../api/createChannel';
import { CHANNEL_TYPES, type Channel, type ChannelType } from '../api/keys';
import { useUpdateChannel } from '../api/updateChannel';
import { channelErrorMessage } from '../errors';
import {
  ACCOUNT_FIELDS,
  accountIdLabel,
  buildCreateBody,
  buildPatch,
  CREDENTIAL_FIELDS,
  EMPTY_VALUES,
  validateChannelForm,
  valuesOf,
  type ChannelFormErrors,
  type ChannelFormValues,
  type FieldKey,
} from '../form';

/** Create a channel (`channel` null) or edit one. After creating, shows the webhook URL and secret once. */
export function ChannelFormDialog({
  open,
  channel,
  onOpenChange,
  onConnect,
}: {
  open: boolean;
  channel: Channel | null;
  onOpenChange: (open: boolean) => void;
  /** Opens the Z-API connect screen for a just-created channel. */
  onConnect?: (channel: Channel) => void;
}) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<{ channel: Channel; secret: string | null } | null>(null);
  const close = (next: boolean) => {
    if (!next) setCreated(null);
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      {open && (
        <DialogContent
          title={created ? t('channelSetup.setupTitle') : channel ? t('channelSetup.editTitle') : t('channelSetup.createTitle')}
          closeLabel={t('common.close')}
          className="sm:max-w-lg"
        >
          {created ? (
            <CreatedView
              channel={created.channel}
              secret={created.secret}
              onDone={() => {
                close(false);
              }}
              onConnect={
                created.channel.type === 'WHATSAPP_ZAPI' && onConnect
                  ? () => {
                      const c = created.channel;
                      close(false);
                      onConnect(c);
                    }
                  : undefined
              }
            />
          ) : (
            <ChannelForm
              channel={channel}
              onCreated={(c, secret) => {
                setCreated({ channel: c, secret });
              }}
              onSaved={() => {
                close(false);
              }}
            />
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}

const SECRET: FieldKey[] = ['authToken', 'instanceToken', 'clientToken', 'pageAccessToken', 'appSecret', 'verifyToken'];

function labelOf(type: ChannelType, key: FieldKey) {
  if (key === 'accountId') return accountIdLabel(type);
  return `channelSetup.fields.${key}` as const;
}

function ChannelForm({
  channel,
  onCreated,
  onSaved,
}: {
  channel: Channel | null;
  onCreated: (channel: Channel, secret: string | null) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const [type, setType] = useState<ChannelType>(channel?.type ?? 'API');
  const [values, setValues] = useState<ChannelFormValues>(channel ? valuesOf(channel) : EMPTY_VALUES);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [errors, setErrors] = useState<ChannelFormErrors>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;
  const mode = channel ? 'edit' : 'create';

  const set = (k: FieldKey, v: string) => {
    setValues((prev) => ({ ...prev, [k]: v }));
    // A field's message goes away as soon as it is edited; the rest stay until the next submit.
    setErrors((prev) => (prev[k] === undefined ? prev : { ...prev, [k]: undefined }));
    setServerErrors((prev) => (prev[k] === undefined ? prev : { ...prev, [k]: undefined }));
  };

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setFormError(null);
    setServerErrors({});
    const found = validateChannelForm(type, values, mode);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      if (channel === null) {
        const res = await create.mutateAsync(buildCreateBody(type, values));
        toast.success(t('channelSetup.created', { name: res.channel.name }));
        onCreated(res.channel, res.webhookSecret ?? null);
      } else {
        const patch = buildPatch(channel, values, enabled);
        if (Object.keys(patch).length > 0) {
          await update.mutateAsync({ id: channel.id, patch });
          toast.success(t('channelSetup.saved'));
        }
        onSaved();
      }
    } catch (err) {
      if (isApiError(err) && err.code === 'validation_failed') {
        const byField = err.fieldErrors();
        const mapped: Partial<Record<FieldKey, string>> = {};
        for (const [field, msgs] of Object.entries(byField)) {
          const key = (field.startsWith('credentials.') ? field.slice('credentials.'.length) : field) as FieldKey;
          if (key in EMPTY_VALUES) mapped[key] = t('forms.serverRejected', { detail: msgs.join('; ') });
        }
        if (Object.keys(mapped).length > 0) {
          setServerErrors(mapped);
          return;
        }
      }
      setFormError(channelErrorMessage(err, t));
    }
  };

  const fieldFor = (k: FieldKey) => {
    const err = serverErrors[k] ?? (errors[k] ? t(errors[k].key, errors[k].values) : undefined);
    const hint =
      k === 'callbackUrl'
        ? t('channelSetup.fields.callbackUrlHint')
        : k === 'phoneNumber'
          ? t('channelSetup.fields.phoneNumberHint')
          : k === 'verifyToken'
            ? t('channelSetup.fields.verifyTokenHint')
            : undefined;
    const optional = k === 'phoneNumber' || k === 'messagingServiceSid';
    return (
      <Field
        key={k}
        label={
          <>
            {t(labelOf(type, k))}
            {optional && <span className="font-normal text-slate-500"> ({t('common.optional')})</span>}
          </>
        }
        hint={hint}
        error={err}
      >
        {({ invalid, ...c }) => (
          <Input
            {...c}
            invalid={invalid}
            name={k}
            type={SECRET.includes(k) ? 'password' : k === 'callbackUrl' ? 'url' : k === 'phoneNumber' ? 'tel' : 'text'}
            autoComplete="off"
            value={values[k]}
            placeholder={SECRET.includes(k) && channel?.hasCredentials ? '••••••••' : undefined}
            onChange={(e) => {
              set(k, e.target.value);
            }}
          />
        )}
      </Field>
    );
  };

  return (
    <form noValidate onSubmit={(e) => void submit(e)} className="space-y-3.5" aria-label={channel ? t('channelSetup.editTitle') : t('channelSetup.createTitle')}>
      {formError !== null && <Alert>{formError}</Alert>}
      {channel !== null && (
        <CopyField
          label={t('channelSetup.webhookUrl')}
          value={channel.webhookUrl}
          copyLabel={t('channelSetup.copy')}
          copiedLabel={t('channelSetup.copied')}
          onCopied={() => toast.success(t('channelSetup.copied'))}
          onFailed={() => toast.error(t('channelSetup.copyFailed'))}
        />
      )}
      {channel === null && (
        <fieldset className="space-y-1.5">
          <legend className="text-[13px] font-medium text-slate-700">{t('channelSetup.chooseType')}</legend>
          <div className="grid gap-1.5 sm:grid-cols-2">
            {CHANNEL_TYPES.map((ct) => (
              <label
                key={ct}
                className={cn(
                  'flex cursor-pointer items-start gap-2 rounded-md border px-2.5 py-2 text-[13px] has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600',
                  ct === type ? 'border-brand-600 bg-brand-50' : 'border-slate-200 hover:bg-slate-50',
                )}
              >
                <input
                  type="radio"
                  name="channel-type"
                  value={ct}
                  checked={ct === type}
                  onChange={() => {
                    setType(ct);
                    setErrors({});
                    setServerErrors({});
                  }}
                  className="sr-only"
                />
                <ChannelIcon type={ct} className="mt-0.5" />
                <span className="min-w-0">
                  <span className="block font-medium text-slate-900">{t(`channels.types.${ct}`)}</span>
                  <span className="block text-xs text-slate-600">{t(`channelSetup.typeHints.${ct}`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <Field label={t('channelSetup.fields.name')} hint={t('channelSetup.fields.nameHint')} error={serverErrors.name ?? (errors.name ? t(errors.name.key, errors.name.values) : undefined)}>
        {({ invalid, ...c }) => (
          <Input
            {...c}
            invalid={invalid}
            name="name"
            autoComplete="off"
            value={values.name}
            onChange={(e) => {
              set('name', e.target.value);
            }}
          />
        )}
      </Field>
      {ACCOUNT_FIELDS[type].map(fieldFor)}
      {CREDENTIAL_FIELDS[type].length > 0 && (
        <div className="space-y-3.5 rounded-md border border-slate-200 bg-slate-50/60 p-3">
          {channel !== null && <p className="text-xs text-slate-600">{t('channelSetup.credentialsWriteOnly')}</p>}
          {CREDENTIAL_FIELDS[type].map(fieldFor)}
        </div>
      )}
      {channel !== null && (
        <SwitchField label={t('channelSetup.fields.enabled')} hint={t('channelSetup.fields.enabledHint')} checked={enabled} onCheckedChange={setEnabled} />
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={pending}>
          {pending ? t('common.saving') : channel ? t('common.saveChanges') : t('channelSetup.createSubmit')}
        </Button>
      </DialogFooter>
    </form>
  );
}

function CreatedView({
  channel,
  secret,
  onDone,
  onConnect,
}: {
  channel: Channel;
  secret: string | null;
  onDone: () => void;
  onConnect?: () => void;
}) {
  const { t } = useTranslation();
  const copied = () => toast.success(t('channelSetup.copied'));
  const failed = () => toast.error(t('channelSetup.copyFailed'));
  return (
    <div className="space-y-3.5" data-testid="channel-created">
      <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
        <ChannelIcon type={channel.type} />
        {channel.name}
      </p>
      <p className="text-[13px] text-slate-600">{t(`channelSetup.instructions.${channel.type}`)}</p>
      <CopyField
        label={t('channelSetup.webhookUrl')}
        value={channel.webhookUrl}
        copyLabel={t('channelSetup.copy')}
        copiedLabel={t('channelSetup.copied')}
        onCopied={copied}
        onFailed={failed}
        testId="channel-webhook-url"
      />
      {secret && (
        <>
          <CopyField
            label={t('channelSetup.secret')}
            value={secret}
            copyLabel={t('channelSetup.copy')}
            copiedLabel={t('channelSetup.copied')}
            onCopied={copied}
            onFailed={failed}
            testId="channel-secret"
          />
          <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
            <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            {t('channelSetup.secretOnce')}
          </p>
        </>
      )}
      <DialogFooter>
        {onConnect && (
          <Button variant="secondary" onClick={onConnect}>
            {t('channelSetup.connect')}
          </Button>
        )}
        <Button onClick={onDone}>{t('channelSetup.done')}</Button>
      </DialogFooter>
    </div>
  );
}
