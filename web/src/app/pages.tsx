import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Skeleton } from '@/components/ui/Skeleton';
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

// Admin screens load on demand: they stay out of the login + inbox bundle.
const ChannelsPage = lazy(() => import('@/features/channels/components/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
const AsaasSettingsPage = lazy(() =>
  import('@/features/payments/components/AsaasSettingsPage').then((m) => ({ default: m.AsaasSettingsPage })),
);

function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" className="space-y-3">
      <span className="sr-only">{t('common.loading')}</span>
      <Skeleton className="h-5 w-40" />
      <Skeleton className="h-32 w-full" />
    </div>
  );
}

export function ChannelsRoute() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ChannelsPage />
    </Suspense>
  );
}

export function AsaasSettingsRoute() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <AsaasSettingsPage />
    </Suspense>
  );
}
