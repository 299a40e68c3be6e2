import { lazy } from 'react';

/**
 * The payments feature's public entry: other features and the app import it only from
 * here (`@/features/payments`), never from its folders.
 */
export { ChargesSection } from './components/ChargesSection';
export { registerPaymentsRealtime } from './realtime';

/** The Asaas settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const AsaasSettingsPage = lazy(() =>
  import('./components/AsaasSettingsPage').then((m) => ({ default: m.AsaasSettingsPage })),
);
