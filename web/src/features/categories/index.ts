import { lazy } from 'react';

/**
 * Interaction categories (issue 11): the admin page (create, rename, move under a
 * parent, activate/deactivate, delete softly) and the conversation's category picker.
 */
export { ConversationCategories } from './components/ConversationCategories';

/** The settings page, loaded on demand: render it inside `<Suspense>`. */
export const CategoriesSettingsPage = lazy(() =>
  import('./components/CategoriesSettingsPage').then((m) => ({ default: m.CategoriesSettingsPage })),
);
