import { Navigate, type RouteObject } from 'react-router';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { RequireAuth } from '@/features/auth/components/RequireAuth';
import { paths } from '@/paths';
import { AppShell } from './AppShell';
import { ComingSoon } from './ComingSoon';
import { NotFound } from './NotFound';

/** The route tree; `router.tsx` mounts it in the browser, tests in memory. */
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
      { path: paths.inbox, element: <ComingSoon section="inbox" /> },
      { path: paths.contacts, element: <ComingSoon section="contacts" /> },
      { path: paths.dashboard, element: <ComingSoon section="dashboard" /> },
      { path: paths.settings, element: <ComingSoon section="settings" /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];
