import { paths } from '@/paths';

/** Where a message found by search jumps to: its conversation, scrolled to it (`?message=`). */
export function messageHref(hit: { conversationId: string; messageId: string }): string {
  return `${paths.inbox}/${hit.conversationId}?message=${encodeURIComponent(hit.messageId)}`;
}
