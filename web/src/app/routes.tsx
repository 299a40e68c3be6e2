import type { ReactNode } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { LoginPage, RequireAuth, RequireRole } from '@/features/auth';
import { paths } from '@/paths';
import { AppShell } from './AppShell';
import {
  AsaasSettingsRoute,
  AuditLogRoute,
  BoardRoute,
  CannedRoute,
  CategoriesRoute,
  ChannelsRoute,
  ContactDetailRoute,
  ContactsRoute,
  InboxRoute,
  MyActivityRoute,
  ProductivityRoute,
  ProfileRoute,
  TeamsRoute,
  UsersRoute,
  WhatIsMeasuredRoute,
  WorkspaceRoute,
} from './pages';
import { NotFound } from './NotFound';
import { SettingsIndex, SettingsLayout } from './settings/SettingsLayout';

const admins = (page: ReactNode) => (
  <RequireRole min="ADMIN" fallback={paths.settingsProfile}>
    {page}
  </RequireRole>
);

const managers = (page: ReactNode) => (
  <RequireRole min="MANAGER" fallback={paths.settingsProfile}>
    {page}
  </RequireRole>
);

/** The route tree; `App.tsx` mounts it in the browser, tests in memory. */
export const routes: RouteObject[] = [
  { path: paths.login, element: <LoginPage /> },
  {
    path: paths.home,
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to={paths.inbox} replace /> },
      { path: paths.inbox, element: <InboxRoute /> },
      { path: `${paths.inbox}/:conversationId`, element: <InboxRoute /> },
      { path: paths.contacts, element: <ContactsRoute /> },
      { path: `${paths.contacts}/:contactId`, element: <ContactDetailRoute /> },
      {
        path: paths.dashboard,
        element: (
          <RequireRole min="MANAGER" fallback={paths.inbox}>
            <BoardRoute />
          </RequireRole>
        ),
      },
      {
        path: paths.settings,
        element: <SettingsLayout />,
        children: [
          { index: true, element: <SettingsIndex /> },
          { path: paths.settingsUsers, element: managers(<UsersRoute />) },
          { path: paths.settingsTeams, element: managers(<TeamsRoute />) },
          { path: paths.settingsChannels, element: managers(<ChannelsRoute />) },
          { path: paths.settingsWorkspace, element: managers(<WorkspaceRoute />) },
          { path: paths.settingsCanned, element: <CannedRoute /> },
          { path: paths.settingsAsaas, element: admins(<AsaasSettingsRoute />) },
          { path: paths.settingsProfile, element: <ProfileRoute /> },
          { path: paths.settingsProductivity, element: managers(<ProductivityRoute />) },
          { path: paths.settingsCategories, element: managers(<CategoriesRoute />) },
          { path: paths.settingsMyActivity, element: <MyActivityRoute /> },
          { path: paths.settingsWhatIsMeasured, element: <WhatIsMeasuredRoute /> },
          { path: paths.settingsAudit, element: admins(<AuditLogRoute />) },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];
