import { call, http } from '@/lib/api';

/** Largest upload the server takes (25 MiB). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** `POST /attachments` (multipart `file`): 201 `{attachment}`; 413 when too big. */
export async function uploadAttachment(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  const { attachment } = await call(
    http.POST('/api/v1/attachments', {
      body: form as unknown as string,
      bodySerializer: (body) => body as unknown as FormData,
    }),
  );
  return attachment;
}
