/**
 * The search feature's public entry: other features and the app import it only from
 * here (`@/features/search`), never from its folders.
 */
export { SearchPalette } from './components/SearchPalette';
export { messageHref } from './href';
