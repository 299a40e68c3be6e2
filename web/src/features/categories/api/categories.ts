import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';

export type Category = Schemas['CategoryView'];

export const categoryKeys = {
  all: ['categories'] as const,
  active: () => [...categoryKeys.all, 'active'] as const,
  admin: () => [...categoryKeys.all, 'admin'] as const,
  conversation: (id: string) => [...categoryKeys.all, 'conversation', id] as const,
};

/** `GET /interaction-categories`: the ones agents may pick. */
export function useActiveCategories() {
  return useQuery(
    queryOptions({
      queryKey: categoryKeys.active(),
      queryFn: async ({ signal }) => (await call(http.GET('/api/v1/interaction-categories', { signal }))).items,
    }),
  );
}

/** `GET /settings/interaction-categories`: every category not deleted. */
export function useAllCategories() {
  return useQuery(
    queryOptions({
      queryKey: categoryKeys.admin(),
      queryFn: async ({ signal }) => (await call(http.GET('/api/v1/settings/interaction-categories', { signal }))).items,
    }),
  );
}

export function useConversationCategories(conversationId: string) {
  return useQuery(
    queryOptions({
      queryKey: categoryKeys.conversation(conversationId),
      queryFn: async ({ signal }) =>
        (await call(http.GET('/api/v1/conversations/{id}/categories', { params: { path: { id: conversationId } }, signal })))
          .items,
    }),
  );
}

/** Replaces the conversation's categories. */
export function useSetConversationCategories(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (categoryIds: string[]) =>
      (
        await call(
          http.POST('/api/v1/conversations/{id}/categories', {
            params: { path: { id: conversationId } },
            body: { categoryIds },
          }),
        )
      ).items,
    onSuccess: (items) => {
      qc.setQueryData(categoryKeys.conversation(conversationId), items);
    },
  });
}

export interface CategoryInput {
  name: string;
  parentId: string | null;
  description?: string;
}

export function useSaveCategory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id?: string; name?: string; parentId?: string | null; active?: boolean; description?: string }) => {
      const { id, ...body } = input;
      if (id === undefined) {
        return (await call(http.POST('/api/v1/settings/interaction-categories', { body: { ...body, name: body.name ?? '' } }))).category;
      }
      return (await call(http.PUT('/api/v1/settings/interaction-categories/{id}', { params: { path: { id } }, body }))).category;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: categoryKeys.all }),
  });
}

export function useDeleteCategory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await call(http.DELETE('/api/v1/settings/interaction-categories/{id}', { params: { path: { id } } }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: categoryKeys.all }),
  });
}
