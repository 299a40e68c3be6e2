import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Skeleton } from '@/components/ui/Skeleton';
import { AuditLogPage } from '@/features/audit';
import { CannedResponsesPage } from '@/features/canned';
import { CategoriesSettingsPage } from '@/features/categories';
import { ChannelsPage } from '@/features/channels';
import { ContactDetailPage, ContactPanel, ContactsPage } from '@/features/contacts';
import { InboxPage } from '@/features/inbox';
import { AsaasSettingsPage } from '@/features/payments';
import { BoardPage, MyActivityPage, ProductivitySettingsPage, WhatIsMeasuredPage } from '@/features/presence';
import { ProfilePage } from '@/features/profile';
import { ReportsPage } from '@/features/reports';
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
export const AuditLogRoute = () => (
  <Lazy>
    <AuditLogPage />
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
/** /dashboard: the live board ("Tempo real") and the reports ("Relatórios") as tabs. */
export function BoardRoute() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'reports' ? 'reports' : 'live';
  const choose = (next: 'live' | 'reports') => {
    const p = new URLSearchParams(params);
    if (next === 'live') p.delete('tab');
    else p.set('tab', next);
    setParams(p, { replace: true });
  };
  return (
    <div>
      <div role="tablist" aria-label={t('nav.dashboard')} className="mx-auto flex w-full max-w-6xl gap-1 px-4 pt-4 sm:px-6">
        {(['live', 'reports'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => { choose(name); }}
            className={
              tab === name
                ? 'rounded-md bg-slate-900 px-3 py-1.5 text-[13px] font-medium text-white'
                : 'rounded-md px-3 py-1.5 text-[13px] text-slate-700 hover:bg-slate-100'
            }
          >
            {t(`reports.tabs.${name}`)}
          </button>
        ))}
      </div>
      <Lazy>
        {tab === 'reports' ? (
          <div className="mx-auto w-full max-w-6xl p-4 sm:p-6">
            <ReportsPage />
          </div>
        ) : (
          <BoardPage />
        )}
      </Lazy>
    </div>
  );
}
export const CategoriesRoute = () => (
  <Lazy>
    <CategoriesSettingsPage />
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
