import { Search } from 'lucide-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cn } from '@/lib/cn';

const PaletteDialog = lazy(() => import('./PaletteDialog').then((m) => ({ default: m.PaletteDialog })));

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The global search (Ctrl/⌘+K): contacts, conversations and message text as the user
 * types, with the matches marked. Arrow keys move, Enter opens, Escape closes; a
 * message opens its conversation scrolled to it. The header button and the shortcut
 * are always here; the palette loads on first use.
 */
export function SearchPalette() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((was) => !was);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
        onClick={() => {
          setOpen(true);
        }}
        className={cn(
          'inline-flex h-8 items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-2 text-[13px] text-slate-500',
          'hover:bg-white hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-600 sm:w-64',
        )}
        data-testid="search-trigger"
      >
        <Search aria-hidden="true" className="size-4" />
        <span className="hidden flex-1 text-left sm:inline">{t('search.trigger')}</span>
        <span className="sr-only sm:hidden">{t('search.trigger')}</span>
        <kbd className="hidden rounded border border-slate-200 bg-white px-1 font-sans text-[11px] text-slate-500 sm:inline">
          {isMac ? '⌘K' : 'Ctrl K'}
        </kbd>
      </button>
      {open && (
        <Suspense fallback={null}>
          <PaletteDialog
            onClose={() => {
              setOpen(false);
            }}
            returnFocus={() => {
              button.current?.focus();
            }}
          />
        </Suspense>
      )}
    </>
  );
}
