import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { channelsKeys } from './keys';

/** QR codes last about 20 s: fetch a fresh one this often while waiting for the scan. */
export const QR_REFRESH_MS = 15_000;

/**
 * `POST /channels/{id}/qr-code` (Z-API, admins): a data-URL QR while pending, or
 * `connected`. A POST because asking for a code starts the pairing watch server-side.
 */
export async function getQrCode(id: string, signal?: AbortSignal) {
  return call(http.POST('/api/v1/channels/{id}/qr-code', { params: { path: { id } }, signal }));
}

export const qrCodeQueryOptions = (id: string) =>
  queryOptions({ queryKey: channelsKeys.qr(id), queryFn: ({ signal }) => getQrCode(id, signal), retry: false, gcTime: 0 });

export function useQrCode(id: string, enabled: boolean) {
  return useQuery({
    ...qrCodeQueryOptions(id),
    enabled,
    refetchInterval: (q) => (q.state.data?.connectionStatus === 'connected' ? false : QR_REFRESH_MS),
  });
}

/** `POST /channels/{id}/connection`: asks Z-API for the instance's state now. */
export async function getConnection(id: string, signal?: AbortSignal) {
  return call(http.POST('/api/v1/channels/{id}/connection', { params: { path: { id } }, signal }));
}

export function useConnectionState(id: string) {
  return useQuery({ queryKey: channelsKeys.connection(id), queryFn: ({ signal }) => getConnection(id, signal), retry: false });
}

/** `POST /channels/{id}/disconnect` and `…/restart` (admins). */
export async function channelAction({ id, action }: { id: string; action: 'disconnect' | 'restart' }) {
  return action === 'disconnect'
    ? call(http.POST('/api/v1/channels/{id}/disconnect', { params: { path: { id } } }))
    : call(http.POST('/api/v1/channels/{id}/restart', { params: { path: { id } } }));
}

export function useChannelAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: channelAction,
    onSuccess: (_data, { id }) => {
      void qc.invalidateQueries({ queryKey: channelsKeys.all });
      void qc.invalidateQueries({ queryKey: channelsKeys.qr(id) });
    },
  });
}
