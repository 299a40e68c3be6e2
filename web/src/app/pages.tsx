import { useTranslation } from 'react-i18next';
import { ContactDetailPage } from '@/features/contacts/components/ContactDetailPage';
import { ContactsPage } from '@/features/contacts/components/ContactsPage';
import { InboxPage } from '@/features/inbox/components/InboxPage';
import { usePageTitle } from '@/lib/pageTitle';

/** Route elements: the feature page plus its tab title. */
export function InboxRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.inbox')} · ${t('app.name')}`);
  return <InboxPage />;
}

export function ContactsRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.contacts')} · ${t('app.name')}`);
  return <ContactsPage />;
}

export function ContactDetailRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.contacts')} · ${t('app.name')}`);
  return <ContactDetailPage />;
}
