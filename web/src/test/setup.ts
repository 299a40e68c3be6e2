import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { toast } from 'sonner';
import { afterEach, beforeEach } from 'vitest';
import { useSession } from '@/features/auth/hooks/useSession';
import { i18n } from '@/lib/i18n';

beforeEach(async () => {
  localStorage.clear();
  useSession.getState().reset();
  await i18n.changeLanguage('pt-BR');
});

afterEach(() => {
  cleanup();
  // sonner replays still-active toasts to the next Toaster: start each test clean.
  toast.dismiss();
});
