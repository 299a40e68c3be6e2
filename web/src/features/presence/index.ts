import { lazy } from 'react';

/**
 * The presence feature's public entry: the app imports it only from here
 * (`@/features/presence`), never from its folders. Work sessions, idle detection,
 * the header timer and badge, the manager board and the productivity settings.
 */
export { FirstLoginNotice } from './components/FirstLoginNotice';
export { IdleWarningDialog } from './components/IdleWarningDialog';
export { PresenceHeader } from './components/PresenceHeader';
export { PresenceTracker } from './components/PresenceTracker';
export { registerPresenceRealtime } from './realtime';
export type { ActivityMe, PresenceView, ProductivitySettings, WorkSession } from './api/keys';

/** Pages, loaded on demand (their own chunks): render them inside `<Suspense>`. */
export const BoardPage = lazy(() => import('./components/BoardPage').then((m) => ({ default: m.BoardPage })));
export const MyActivityPage = lazy(() => import('./components/MyActivityPage').then((m) => ({ default: m.MyActivityPage })));
export const WhatIsMeasuredPage = lazy(() => import('./components/WhatIsMeasuredPage').then((m) => ({ default: m.WhatIsMeasuredPage })));
export const ProductivitySettingsPage = lazy(() =>
  import('./components/ProductivitySettingsPage').then((m) => ({ default: m.ProductivitySettingsPage })),
);
