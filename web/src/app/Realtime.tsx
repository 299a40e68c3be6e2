import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { registerAuthRealtime, useSession } from '@/features/auth';
import { registerContactsRealtime } from '@/features/contacts';
import { notify, registerInboxRealtime, useInboxUi, useUnreadTotal } from '@/features/inbox';
import { registerPaymentsRealtime } from '@/features/payments';
import { registerChannelsRealtime } from '@/features/channels';
import { registerPresenceRealtime } from '@/features/presence';
import { setUnreadInTitle } from '@/lib/pageTitle';
import { connectSocket, disconnectSocket } from '@/lib/socket';
import { paths } from '@/paths';

/**
 * The signed-in app's live link: opens the socket, routes its events into the cache,
 * shows browser notifications for customer messages, and keeps the unread count in
 * the tab title. Renders nothing.
 */
export function Realtime() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  // The socket stays up across language changes and navigations.
  const latest = useRef({ t, navigate });
  useEffect(() => {
    latest.current = { t, navigate };
  });

  useEffect(() => {
    const offInbox = registerInboxRealtime(qc, {
      onContactMessage: (message, conversation, preview) => {
        const { t, navigate } = latest.current;
        notify({
          conversationId: message.conversationId,
          openConversationId: useInboxUi.getState().openConversationId,
          title: conversation?.contact.name ? t('inbox.notifications.title', { name: conversation.contact.name }) : t('inbox.notifications.titleUnknown'),
          body: preview || t('inbox.notifications.attachment'),
          onClick: () => {
            void navigate(`${paths.inbox}/${message.conversationId}`);
          },
        });
      },
      onOpenConversationMerged: (mergedInto) => {
        void latest.current.navigate(`${paths.inbox}/${mergedInto}`, { replace: true });
      },
    });
    const offContacts = registerContactsRealtime(qc);
    const offPayments = registerPaymentsRealtime(qc);
    const offChannels = registerChannelsRealtime(qc);
    const offPresence = registerPresenceRealtime(qc, () => useSession.getState().user?.id);
    const offAuth = registerAuthRealtime(qc);
    connectSocket();
    return () => {
      offInbox();
      offContacts();
      offPayments();
      offChannels();
      offPresence();
      offAuth();
      disconnectSocket();
    };
  }, [qc]);

  const unread = useUnreadTotal();
  useEffect(() => {
    setUnreadInTitle(unread.data ?? 0);
  }, [unread.data]);
  useEffect(
    () => () => {
      setUnreadInTitle(0);
    },
    [],
  );
  return null;
}
