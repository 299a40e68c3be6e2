/**
 * The inbox feature's public entry: other features and the app import it only from
 * here (`@/features/inbox`), never from its folders.
 */
export { applyContactToConversations } from './api/cache';
export { useContactConversations } from './api/contactConversations';
export { inboxKeys, type Conversation, type Message } from './api/keys';
export { useUnreadTotal } from './api/unreadTotal';
export { InboxPage, type ContactPanelComponent } from './components/InboxPage';
export { notify } from './notifications';
export { registerInboxRealtime } from './realtime';
export { useInboxUi } from './store';
