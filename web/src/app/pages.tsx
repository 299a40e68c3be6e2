import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Skeleton } from '@/components/ui/Skeleton';
import { InboxPage } from '@/features/inbox/components/InboxPage';
import { usePageTitle } from '@/lib/pageTitle';

/** Loads a named export on demand (each becomes its own chunk). */
function lazyNamed(load: () => Promise<Record<string, unknown>>, name: string) {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
}

// Everything but the inbox loads on demand: it stays out of the login + inbox bundle.
const ContactsPage = lazyNamed(() => import('@/features/contacts/components/ContactsPage'), 'ContactsPage');
const ContactDetailPage = lazyNamed(() => import('@/features/contacts/components/ContactDetailPage'), 'ContactDetailPage');
const ChannelsPage = lazyNamed(() => import('@/features/channels/components/ChannelsPage'), 'ChannelsPage');
const AsaasSettingsPage = lazyNamed(() => import('@/features/payments/components/AsaasSettingsPage'), 'AsaasSettingsPage');
const UsersPage = lazyNamed(() => import('@/features/users/components/UsersPage'), 'UsersPage');
const TeamsPage = lazyNamed(() => import('@/features/teams/components/TeamsPage'), 'TeamsPage');
const WorkspaceSettingsPage = lazyNamed(
  () => import('@/features/workspace/components/WorkspaceSettingsPage'),
  'WorkspaceSettingsPage',
);
const CannedResponsesPage = lazyNamed(() => import('@/features/canned/components/CannedResponsesPage'), 'CannedResponsesPage');
const ProfilePage = lazyNamed(() => import('@/features/profile/components/ProfilePage'), 'ProfilePage');

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

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSkeleton />}>{children}</Suspense>;
}

/** Route elements: the feature page plus its tab title. */
export function InboxRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.inbox')} · ${t('app.name')}`);
  return <InboxPage />;
}

export function ContactsRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.contacts')} · ${t('app.name')}`);
  return (
    <Lazy>
      <ContactsPage />
    </Lazy>
  );
}

export function ContactDetailRoute() {
  const { t } = useTranslation();
  usePageTitle(`${t('nav.contacts')} · ${t('app.name')}`);
  return (
    <Lazy>
      <ContactDetailPage />
    </Lazy>
  );
}

export const ChannelsRoute = () => (
  <Lazy>
    <ChannelsPage />
  </Lazy>
);
export const AsaasSettingsRoute = () => (
  <Lazy>
    <AsaasSettingsPage />
  </Lazy>
);
export const UsersRoute = () => (
  <Lazy>
    <UsersPage />
  </Lazy>
);
export const TeamsRoute = () => (
  <Lazy>
    <TeamsPage />
  </Lazy>
);
export const WorkspaceRoute = () => (
  <Lazy>
    <WorkspaceSettingsPage />
  </Lazy>
);
export const ProfileRoute = () => (
  <Lazy>
    <ProfilePage />
  </Lazy>
);
export const CannedRoute = () => (
  <Lazy>
    <CannedResponsesPage />
  </Lazy>
);
