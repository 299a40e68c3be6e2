/** Browser notifications for new customer messages: asked for politely, never nagging. */

const ASKED_KEY = 'atende.notifications.dismissed';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return notificationsSupported() ? Notification.permission : 'unsupported';
}

/** The user said "not now" to the banner (remembered on this device). */
export function notificationsDismissed(): boolean {
  try {
    return localStorage.getItem(ASKED_KEY) === '1';
  } catch {
    return false;
  }
}

export function dismissNotifications(): void {
  try {
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // Storage disabled: the banner comes back next visit.
  }
}

export async function requestNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/**
 * Shows a notification unless the user is looking at that conversation right now.
 * Clicking it focuses the tab and opens the conversation.
 */
export function notify(opts: {
  conversationId: string;
  openConversationId: string | null;
  title: string;
  body: string;
  onClick: () => void;
}): Notification | null {
  if (notificationPermission() !== 'granted') return null;
  const watching = document.visibilityState === 'visible' && document.hasFocus() && opts.openConversationId === opts.conversationId;
  if (watching) return null;
  try {
    const n = new Notification(opts.title, { body: opts.body, tag: `conversation-${opts.conversationId}` });
    n.onclick = () => {
      window.focus();
      opts.onClick();
      n.close();
    };
    return n;
  } catch {
    // Some mobile browsers only allow notifications from a service worker.
    return null;
  }
}
