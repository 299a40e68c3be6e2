import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { cannedKeys } from './keys';

export type CreateCannedInput = Schemas['CreateCannedResponse'];
export type UpdateCannedInput = Schemas['UpdateCannedResponse'];

/** `POST /canned-responses` (managers, admins); 409 `short_code_taken`. */
export async function createCanned(input: CreateCannedInput) {
  const { cannedResponse } = await call(http.POST('/api/v1/canned-responses', { body: input }));
  return cannedResponse;
}

/** `PATCH /canned-responses/{id}`: only the given fields change; 409 `short_code_taken`. */
export async function updateCanned({ id, patch }: { id: string; patch: UpdateCannedInput }) {
  const { cannedResponse } = await call(
    http.PATCH('/api/v1/canned-responses/{id}', { params: { path: { id } }, body: patch }),
  );
  return cannedResponse;
}

/** `DELETE /canned-responses/{id}`. */
export async function deleteCanned(id: string) {
  await call(http.DELETE('/api/v1/canned-responses/{id}', { params: { path: { id } } }));
}

function useInvalidating<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: cannedKeys.all }) });
}

export const useCreateCanned = () => useInvalidating(createCanned);
export const useUpdateCanned = () => useInvalidating(updateCanned);
export const useDeleteCanned = () => useInvalidating(deleteCanned);
