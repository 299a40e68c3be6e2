import {
  Activity,
  Building2,
  CircleUserRound,
  Eye,
  Gauge,
  MessageSquareText,
  Radio,
  ScrollText,
  Users,
  UsersRound,
  Wallet,
  type LucideIcon, Tags } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet } from 'react-router';
import { type Role, useRole } from '@/features/auth';
import { cn } from '@/lib/cn';
import { usePageTitle } from '@/lib/pageTitle';
import { paths } from '@/paths';

interface Section {
  to: string;
  label:
    | 'settings.sections.users'
    | 'settings.sections.teams'
    | 'settings.sections.channels'
    | 'settings.sections.workspace'
    | 'settings.sections.asaas'
    | 'settings.sections.canned'
    | 'settings.sections.profile'
    | 'settings.sections.productivity'
    | 'settings.sections.categories'
    | 'settings.sections.myActivity'
    | 'settings.sections.whatIsMeasured'
    | 'settings.sections.audit';
  icon: LucideIcon;
  min: Role;
}

const SECTIONS: Section[] = [
  { to: paths.settingsUsers, label: 'settings.sections.users', icon: Users, min: 'MANAGER' },
  { to: paths.settingsTeams, label: 'settings.sections.teams', icon: UsersRound, min: 'MANAGER' },
  { to: paths.settingsChannels, label: 'settings.sections.channels', icon: Radio, min: 'MANAGER' },
  { to: paths.settingsWorkspace, label: 'settings.sections.workspace', icon: Building2, min: 'MANAGER' },
  { to: paths.settingsProductivity, label: 'settings.sections.productivity', icon: Gauge, min: 'MANAGER' },
  { to: paths.settingsCategories, label: 'settings.sections.categories', icon: Tags, min: 'MANAGER' },
  { to: paths.settingsCanned, label: 'settings.sections.canned', icon: MessageSquareText, min: 'AGENT' },
  { to: paths.settingsAsaas, label: 'settings.sections.asaas', icon: Wallet, min: 'ADMIN' },
  { to: paths.settingsAudit, label: 'settings.sections.audit', icon: ScrollText, min: 'ADMIN' },
  { to: paths.settingsProfile, label: 'settings.sections.profile', icon: CircleUserRound, min: 'AGENT' },
  { to: paths.settingsMyActivity, label: 'settings.sections.myActivity', icon: Activity, min: 'AGENT' },
  { to: paths.settingsWhatIsMeasured, label: 'settings.sections.whatIsMeasured', icon: Eye, min: 'AGENT' },
];

/** /settings: a section list (a scrolling tab row on phones) and the section. */
export function SettingsLayout() {
  const { t } = useTranslation();
  const { atLeast } = useRole();
  const sections = SECTIONS.filter((s) => atLeast(s.min));

  usePageTitle(`${t('settings.title')} · ${t('app.name')}`);

  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 p-4 sm:p-6 md:flex-row md:gap-6">
      <div className="md:w-48 md:shrink-0">
        <h1 className="text-base font-semibold text-slate-900">{t('settings.title')}</h1>
        <nav aria-label={t('settings.sectionsNav')} className="mt-3">
          <ul className="flex flex-wrap gap-1 md:flex-col">
            {sections.map(({ to, label, icon: Icon }) => (
              <li key={to} className="shrink-0">
                <NavLink
                  to={to}
                  className={({ isActive }) =>
                    cn(
                      'flex items-center gap-2 whitespace-nowrap rounded-md px-2.5 py-1.5 text-[13px] font-medium transition-colors',
                      'focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600',
                      isActive ? 'bg-brand-50 text-brand-800' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
                    )
                  }
                >
                  <Icon aria-hidden="true" className="size-4" />
                  {t(label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <div className="min-w-0 flex-1">
        <Outlet />
      </div>
    </div>
  );
}

/** /settings itself: the first section this role may open. */
export function SettingsIndex() {
  const { atLeast } = useRole();
  return <Navigate to={atLeast('MANAGER') ? paths.settingsUsers : paths.settingsProfile} replace />;
}
