import { lazy } from 'react';

/**
 * The channels feature's public entry: other features and the app import it only from
 * here (`@/features/channels`), never from its folders.
 */
export { useChannels } from './api/listChannels';
export { registerChannelsRealtime } from './realtime';

/** The settings page, loaded on demand (its own chunk): render it inside `<Suspense>`. */
export const ChannelsPage = lazy(() => import('./components/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
