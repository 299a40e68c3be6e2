import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Skeleton } from '@/components/ui/Skeleton';
import { CannedResponsesPage } from '@/features/canned';
import { ChannelsPage } from '@/features/channels';
import { ContactDetailPage, ContactPanel, ContactsPage } from '@/features/contacts';
import { InboxPage } from '@/features/inbox';
import { AsaasSettingsPage } from '@/features/payments';
import { BoardPage, MyActivityPage, ProductivitySettingsPage, WhatIsMeasuredPage } from '@/features/presence';
import { ProfilePage } from '@/features/profile';
import { TeamsPage } from '@/features/teams';
import { UsersPage } from '@/features/users';
import { WorkspaceSettingsPage } from '@/features/workspace';
import { usePageTitle } from '@/lib/pageTitle';

// Everything but the inbox loads on demand: each feature's entry hands out its pages
// (and the contact panel) as lazy components, so they stay out of the login + inbox
// bundle, each in its own chunk.

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
  return <InboxPage contactPanel={ContactPanel} />;
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
export const BoardRoute = () => (
  <Lazy>
    <BoardPage />
  </Lazy>
);
export const ProductivityRoute = () => (
  <Lazy>
    <ProductivitySettingsPage />
  </Lazy>
);
export const MyActivityRoute = () => (
  <Lazy>
    <MyActivityPage />
  </Lazy>
);
export const WhatIsMeasuredRoute = () => (
  <Lazy>
    <WhatIsMeasuredPage />
  </Lazy>
);
