import { Lock, Pencil, Plug, Plus, PowerOff, Radio } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { ChannelIcon } from '@/components/ChannelIcon';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState } from '@/components/ui/EmptyState';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { errorMessage } from '@/lib/errorMessage';
import type { Channel } from '../api/keys';
import { useChannels } from '../api/listChannels';
import { useDisableChannel } from '../api/updateChannel';
import { channelErrorMessage } from '../errors';
import { ChannelFormDialog } from './ChannelFormDialog';
import { ConnectionBadge } from './ConnectionBadge';
import { ZapiConnectDialog } from './ZapiConnectDialog';

/** Settings → Channels: admins create, edit, connect and disable; managers look. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useRole();
  const channels = useChannels();
  const [editing, setEditing] = useState<Channel | null>(null);
  const [creating, setCreating] = useState(false);
  const [connecting, setConnecting] = useState<Channel | null>(null);
  const [disabling, setDisabling] = useState<Channel | null>(null);
  const disable = useDisableChannel();

  const addButton = isAdmin ? (
    <Button
      onClick={() => {
        setCreating(true);
      }}
    >
      <Plus aria-hidden="true" className="size-4" />
      {t('channelSetup.add')}
    </Button>
  ) : null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-[15px] font-semibold text-slate-900">{t('channelSetup.title')}</h2>
          <p className="text-[13px] text-slate-600">{t('channelSetup.subtitle')}</p>
        </div>
        {addButton}
      </div>
      {!isAdmin && (
        <p className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          <Lock aria-hidden="true" className="size-4 shrink-0" />
          {t('settings.readOnly')}
        </p>
      )}
      {channels.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(channels.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void channels.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : channels.data === undefined ? (
        <div role="status" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 3 }, (_, i) => (
            <div key={i} className="flex items-center gap-3">
              <Skeleton className="size-8 rounded-full" />
              <Skeleton className="h-4 w-48" />
            </div>
          ))}
        </div>
      ) : channels.data.length === 0 ? (
        <EmptyState
          icon={Radio}
          title={t('channelSetup.empty')}
          body={isAdmin ? t('channelSetup.emptyBody') : t('channelSetup.emptyBodyReadOnly')}
          action={addButton ?? undefined}
        />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label={t('channelSetup.title')}>
          {channels.data.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="channel-row">
              <ChannelIcon type={c.type} className="size-8 [&>svg]:size-4" />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="truncate text-sm font-medium text-slate-900">{c.name}</span>
                  {!c.enabled && <Badge tone="neutral">{t('channelSetup.disabledBadge')}</Badge>}
                </p>
                <p className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-slate-500">
                  <span>{t(`channels.types.${c.type}`)}</span>
                  {c.type !== 'API' && <ConnectionBadge status={c.connectionStatus} />}
                  {c.type !== 'API' && !c.hasCredentials && <span className="text-amber-700">{t('channelSetup.credentialsMissing')}</span>}
                </p>
              </div>
              {isAdmin && (
                <div className="flex items-center gap-1">
                  {c.type === 'WHATSAPP_ZAPI' && c.enabled && (
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => {
                        setConnecting(c);
                      }}
                    >
                      <Plug aria-hidden="true" className="size-3.5" />
                      {t('channelSetup.connect')}
                    </Button>
                  )}
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`${t('channelSetup.edit')}: ${c.name}`}
                    title={t('channelSetup.edit')}
                    onClick={() => {
                      setEditing(c);
                    }}
                  >
                    <Pencil aria-hidden="true" className="size-4" />
                  </Button>
                  {c.enabled && (
                    <Button
                      size="icon"
                      variant="ghost"
                      className="text-slate-500 hover:text-red-700"
                      aria-label={`${t('channelSetup.disable')}: ${c.name}`}
                      title={t('channelSetup.disable')}
                      onClick={() => {
                        setDisabling(c);
                      }}
                    >
                      <PowerOff aria-hidden="true" className="size-4" />
                    </Button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ChannelFormDialog
        open={creating || editing !== null}
        channel={editing}
        onOpenChange={(open) => {
          if (!open) {
            setCreating(false);
            setEditing(null);
          }
        }}
        onConnect={setConnecting}
      />
      <ZapiConnectDialog
        channel={connecting}
        onOpenChange={(open) => {
          if (!open) setConnecting(null);
        }}
      />
      <ConfirmDialog
        open={disabling !== null}
        onOpenChange={(open) => {
          if (!open) setDisabling(null);
        }}
        title={t('channelSetup.disableTitle', { name: disabling?.name ?? '' })}
        description={t('channelSetup.disableBody')}
        confirmLabel={t('channelSetup.disable')}
        cancelLabel={t('common.cancel')}
        pending={disable.isPending}
        onConfirm={() => {
          if (disabling === null) return;
          disable.mutate(disabling.id, {
            onSuccess: () => {
              setDisabling(null);
              toast.success(t('channelSetup.disabled'));
            },
            onError: (err) => {
              setDisabling(null);
              toast.error(channelErrorMessage(err, t));
            },
          });
        }}
      />
    </div>
  );
}
