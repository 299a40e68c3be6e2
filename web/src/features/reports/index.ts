import { lazy } from 'react';

/**
 * The reports feature's public entry: productivity reports (issue 11) read from
 * `/api/v1/reports/*` — KPI cards with trend, productivity per agent/team/channel/
 * category/day with charts, and CSV export of exactly what is filtered.
 */
export const ReportsPage = lazy(() => import('./components/ReportsPage').then((m) => ({ default: m.ReportsPage })));
