import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { toast } from 'sonner';
import { afterEach, beforeEach, vi } from 'vitest';
import { useSession } from '@/features/auth';
import { useInboxUi } from '@/features/inbox';
// The inbox's outbox is private to it; only this harness resets it between tests.
// eslint-disable-next-line import-x/no-restricted-paths
import { useOutbox } from '@/features/inbox/store';
import { i18n } from '@/lib/i18n';
import { disconnectSocket } from '@/lib/socket';

// No real socket in tests: `lastSocket()` (test/fakeSocket) is what the app opened.
vi.mock('socket.io-client', async () => {
  const { fakeIo } = await import('./fakeSocket');
  return { io: fakeIo };
});

beforeEach(async () => {
  localStorage.clear();
  useSession.getState().reset();
  useOutbox.setState({ items: [] });
  useInboxUi.setState({ openConversationId: null, listIds: [] });
  await i18n.changeLanguage('pt-BR');
});

afterEach(() => {
  cleanup();
  disconnectSocket();
  // sonner replays still-active toasts to the next Toaster: start each test clean.
  toast.dismiss();
});
