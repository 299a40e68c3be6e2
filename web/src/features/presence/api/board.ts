import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { newer } from '../clock';
import { call, http } from '@/lib/api';
import { presenceKeys, type PresenceView } from './keys';

/** The live board: agents by id (insertion order kept). */
export type Board = PresenceView[];

/** `GET /activity/board`: the agents this manager supervises (admins: all). Only the first load. */
export async function getBoard(signal?: AbortSignal): Promise<Board> {
  const { agents } = await call(http.GET('/api/v1/activity/board', { signal }));
  return agents;
}

/**
 * Merges two lists of views, keeping the newer view of each agent: a socket update
 * that arrived while the GET was in flight is not undone by its older answer.
 */
export function mergeBoard(current: Board | undefined, incoming: Board, replace: boolean): Board {
  const byId = new Map((current ?? []).map((a) => [a.agentId, a]));
  const out: Board = [];
  for (const agent of incoming) {
    const had = byId.get(agent.agentId);
    out.push(had === undefined ? agent : newer(had, agent));
    byId.delete(agent.agentId);
  }
  // A snapshot or a fresh load is the whole set: agents it lacks are no longer supervised.
  if (!replace) out.push(...byId.values());
  return out;
}

/** One agent changed status. */
export function applyStatusUpdate(qc: QueryClient, view: PresenceView): void {
  qc.setQueryData<Board>(presenceKeys.board(), (board) => (board === undefined ? board : mergeBoard(board, [view], false)));
}

/** The socket's snapshot on (re)connect: the whole board. */
export function applySnapshot(qc: QueryClient, agents: Board): void {
  qc.setQueryData<Board>(presenceKeys.board(), (board) => mergeBoard(board, agents, true));
}

export function useBoard() {
  const qc = useQueryClient();
  return useQuery(
    queryOptions({
      queryKey: presenceKeys.board(),
      queryFn: async ({ signal }) => mergeBoard(qc.getQueryData<Board>(presenceKeys.board()), await getBoard(signal), true),
      // Updated by socket events only: no polling, no refetch on focus.
      staleTime: Infinity,
    }),
  );
}
