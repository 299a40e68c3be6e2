import { useQueryClient } from '@tanstack/react-query';
import { CircleCheck, Power, RotateCw, Smartphone } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { Skeleton } from '@/components/ui/Skeleton';
import { setConnectionStatus } from '../api/cache';
import type { Channel } from '../api/keys';
import { useChannels } from '../api/listChannels';
import { useChannelAction, useConnectionState, useQrCode } from '../api/zapi';
import { channelErrorMessage } from '../errors';
import { ConnectionBadge } from './ConnectionBadge';

/** Z-API pairing: the QR (refreshed while pending), live "connected", disconnect / restart. */
export function ZapiConnectDialog({ channel, onOpenChange }: { channel: Channel | null; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={channel !== null} onOpenChange={onOpenChange}>
      {channel !== null && (
        <DialogContent title={t('channelSetup.zapi.title', { name: channel.name })} closeLabel={t('common.close')} className="sm:max-w-md">
          <ZapiConnect channelId={channel.id} />
          <DialogFooter>
            <Button
              variant="secondary"
              onClick={() => {
                onOpenChange(false);
              }}
            >
              {t('common.close')}
            </Button>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}

export function ZapiConnect({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const channels = useChannels();
  const listStatus = channels.data?.find((c) => c.id === channelId)?.connectionStatus;
  const connection = useConnectionState(channelId);
  const liveConnected = listStatus === 'connected' || connection.data?.connected === true;
  const qr = useQrCode(channelId, !liveConnected);
  const connected = liveConnected || qr.data?.connectionStatus === 'connected';
  const action = useChannelAction();
  const [confirm, setConfirm] = useState(false);

  useEffect(() => {
    if (qr.data?.connectionStatus === 'connected') setConnectionStatus(qc, channelId, 'connected');
  }, [qr.data?.connectionStatus, qc, channelId]);

  const run = (kind: 'disconnect' | 'restart') => {
    action.mutate(
      { id: channelId, action: kind },
      {
        onSuccess: () => {
          setConfirm(false);
          if (kind === 'disconnect') setConnectionStatus(qc, channelId, 'disconnected');
          toast.success(kind === 'disconnect' ? t('channelSetup.zapi.disconnected') : t('channelSetup.zapi.restarted'));
        },
        onError: (err) => {
          setConfirm(false);
          toast.error(channelErrorMessage(err, t));
        },
      },
    );
  };

  return (
    <div className="space-y-3" data-testid="zapi-connect" data-connected={connected ? 'true' : 'false'}>
      {connected ? (
        <div role="status" className="flex flex-col items-center rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-6 text-center">
          <CircleCheck aria-hidden="true" className="size-8 text-emerald-600" />
          <p className="mt-2 text-sm font-semibold text-emerald-900">{t('channelSetup.zapi.connected')}</p>
          <p className="mt-1 text-[13px] text-emerald-800">{t('channelSetup.zapi.connectedBody')}</p>
          {connection.data && !connection.data.smartphoneConnected && connection.data.connected && (
            <p className="mt-2 flex items-center gap-1 text-xs text-amber-800">
              <Smartphone aria-hidden="true" className="size-3.5" />
              {t('channelSetup.zapi.phoneOffline')}
            </p>
          )}
        </div>
      ) : (
        <>
          <p className="text-[13px] text-slate-600">{t('channelSetup.zapi.description')}</p>
          {qr.isError ? (
            <Alert>{channelErrorMessage(qr.error, t)}</Alert>
          ) : qr.data?.qrCode ? (
            <figure className="flex flex-col items-center gap-2">
              <img src={qr.data.qrCode} alt={t('channelSetup.zapi.qrAlt')} className="size-56 rounded-md border border-slate-200 bg-white p-2" />
              <figcaption className="text-xs text-slate-500">{t('channelSetup.zapi.refreshing')}</figcaption>
            </figure>
          ) : (
            <div role="status" className="flex justify-center">
              <span className="sr-only">{t('common.loading')}</span>
              <Skeleton className="size-56" />
            </div>
          )}
          <p className="flex items-center justify-center gap-2 text-xs text-slate-500">
            <ConnectionBadge status={listStatus ?? qr.data?.connectionStatus ?? 'pending'} />
          </p>
        </>
      )}
      <div className="flex flex-wrap justify-center gap-2">
        <Button
          variant="secondary"
          size="sm"
          loading={action.isPending && action.variables.action === 'restart'}
          onClick={() => {
            run('restart');
          }}
        >
          <RotateCw aria-hidden="true" className="size-3.5" />
          {t('channelSetup.zapi.restart')}
        </Button>
        {connected && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setConfirm(true);
            }}
          >
            <Power aria-hidden="true" className="size-3.5" />
            {t('channelSetup.zapi.disconnect')}
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={t('channelSetup.zapi.disconnectTitle')}
        description={t('channelSetup.zapi.disconnectBody')}
        confirmLabel={t('channelSetup.zapi.disconnect')}
        cancelLabel={t('common.cancel')}
        pending={action.isPending}
        onConfirm={() => {
          run('disconnect');
        }}
      />
    </div>
  );
}
