import type { QueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { markReadInCache } from './cache';
import { inboxKeys } from './keys';

/** `POST /conversations/{id}/read`: the caller has seen everything in it. */
export async function markRead(id: string) {
  await call(http.POST('/api/v1/conversations/{id}/read', { params: { path: { id } } }));
}

const inflight = new Map<string, ReturnType<typeof setTimeout>>();

/** Marks read now in the cache, and on the server shortly after (bursts collapse into one call). */
export function markConversationRead(qc: QueryClient, id: string, delayMs = 300) {
  markReadInCache(qc, id);
  const pending = inflight.get(id);
  if (pending !== undefined) clearTimeout(pending);
  inflight.set(
    id,
    setTimeout(() => {
      inflight.delete(id);
      markRead(id)
        .then(() => qc.invalidateQueries({ queryKey: inboxKeys.unread() }))
        .catch(() => {
          // Not critical: the next open or message marks it again.
        });
    }, delayMs),
  );
}
