import { Contact, Inbox, LayoutDashboard, LogOut, Settings, type LucideIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { toast } from 'sonner';
import { ConnectionIndicator } from '@/components/ConnectionIndicator';
import { Logo } from '@/components/Logo';
import { Button } from '@/components/ui/Button';
import { type Role, useLogout, useRole, useSession } from '@/features/auth';
import { FirstLoginNotice, IdleWarningDialog, PresenceHeader, PresenceTracker } from '@/features/presence';
import { SearchPalette } from '@/features/search';
import { cn } from '@/lib/cn';
import { paths } from '@/paths';
import { Realtime } from './Realtime';

interface NavItem {
  to: string;
  label: 'nav.inbox' | 'nav.contacts' | 'nav.dashboard' | 'nav.settings';
  icon: LucideIcon;
  min: Role;
}

const NAV: NavItem[] = [
  { to: paths.inbox, label: 'nav.inbox', icon: Inbox, min: 'AGENT' },
  { to: paths.contacts, label: 'nav.contacts', icon: Contact, min: 'AGENT' },
  { to: paths.dashboard, label: 'nav.dashboard', icon: LayoutDashboard, min: 'MANAGER' },
  { to: paths.settings, label: 'nav.settings', icon: Settings, min: 'AGENT' },
];

/** Signed-in frame: a narrow left rail (a bottom bar on phones), a top bar, the page. */
export function AppShell() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const tenant = useSession((s) => s.tenant);
  const logout = useLogout();
  const { atLeast } = useRole();
  const nav = NAV.filter((item) => atLeast(item.min));

  const onLogout = () => {
    // Success unmounts this shell (RequireAuth redirects), so only failures are handled here.
    logout.mutate(undefined, {
      onError: (err) => {
        if (err.status !== 401) toast.error(t('auth.logoutFailed'));
      },
    });
  };

  return (
    <div className="flex min-h-dvh bg-slate-50">
      <Realtime />
      <PresenceTracker />
      <FirstLoginNotice />
      <IdleWarningDialog />
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        {t('shell.skipToContent')}
      </a>

      <nav
        aria-label={t('nav.main')}
        className={cn(
          'fixed inset-x-0 bottom-0 z-30 flex border-t border-slate-200 bg-white',
          'sm:sticky sm:top-0 sm:h-dvh sm:w-24 sm:flex-col sm:items-center sm:gap-1 sm:border-r sm:border-t-0 sm:py-3',
        )}
      >
        <div className="mb-3 hidden sm:block">
          <Logo withName={false} />
        </div>
        <ul className="flex w-full sm:flex-col sm:gap-1 sm:px-1">
          {nav.map(({ to, label, icon: Icon }) => (
            <li key={to} className="flex-1 sm:flex-none">
              <NavLink
                to={to}
                className={({ isActive }) =>
                  cn(
                    'flex flex-col items-center gap-1 rounded-md px-0.5 py-2 text-[11px] font-medium leading-tight transition-colors',
                    'focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600',
                    isActive ? 'bg-brand-50 text-brand-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
                  )
                }
              >
                <Icon aria-hidden="true" className="size-5" />
                <span className="max-w-full text-center">{t(label)}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>

      <div className="flex min-w-0 flex-1 flex-col pb-16 sm:pb-0">
        <header className="sticky top-0 z-20 flex h-12 items-center gap-2 border-b border-slate-200 bg-white px-3 sm:gap-3 sm:px-4">
          <div className="sm:hidden">
            <Logo withName={false} />
          </div>
          <div className="min-w-0 flex-1">
            <p className="truncate text-[13px] font-semibold text-slate-900" title={tenant?.name}>
              <span className="sr-only">{t('shell.workspace')}: </span>
              {tenant?.name}
            </p>
          </div>
          <SearchPalette />
          <div className="flex items-center gap-2">
            <PresenceHeader />
            <ConnectionIndicator />
            <span className="hidden text-right sm:block">
              <span className="block max-w-48 truncate text-[13px] font-medium text-slate-800" data-testid="user-name">
                {user?.name}
              </span>
              <span className="block max-w-48 truncate text-[11px] text-slate-500">{user?.email}</span>
            </span>
            <span
              aria-hidden="true"
              className="inline-flex size-8 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-800"
            >
              {initials(user?.name ?? '')}
            </span>
            <span className="sr-only sm:hidden">{t('shell.signedInAs', { name: user?.name ?? '' })}</span>
            <Button variant="ghost" size="sm" onClick={onLogout} loading={logout.isPending}>
              {!logout.isPending && <LogOut aria-hidden="true" className="size-4" />}
              {/* On a phone the icon alone: the header also holds search and the session timer. */}
              <span className="sr-only sm:not-sr-only">{logout.isPending ? t('auth.loggingOut') : t('auth.logout')}</span>
            </Button>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 focus:outline-none">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
