import { lazy } from 'react';

/**
 * The audit-log feature's public entry: the app imports it only from here
 * (`@/features/audit`), never from its folders.
 */

/** Settings → Registro de auditoria (admins), loaded on demand: render it inside `<Suspense>`. */
export const AuditLogPage = lazy(() => import('./components/AuditLogPage').then((m) => ({ default: m.AuditLogPage })));
