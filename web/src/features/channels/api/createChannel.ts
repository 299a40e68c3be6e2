import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { channelsKeys } from './keys';

export type CreateChannelInput = Schemas['CreateChannel'];

/** `POST /channels` (admins): 201 `{channel, webhookSecret}`; the secret is shown only now. */
export async function createChannel(input: CreateChannelInput) {
  return call(http.POST('/api/v1/channels', { body: input }));
}

export function useCreateChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createChannel,
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKeys.all }),
  });
}
