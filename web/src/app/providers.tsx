import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Toaster } from 'sonner';
import '@/lib/i18n';
import { createQueryClient } from './queryClient';

export function Providers({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const { t } = useTranslation();
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster position="top-right" richColors closeButton={false} containerAriaLabel={t('common.notifications')} />
    </QueryClientProvider>
  );
}
