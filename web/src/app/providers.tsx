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
      <Toaster
        // Over the empty middle of the top bar: never on top of a form's buttons or the user menu.
        position="top-center"
        offset={{ top: 6 }}
        mobileOffset={{ top: 6 }}
        richColors
        closeButton={false}
        containerAriaLabel={t('common.notifications')}
      />
    </QueryClientProvider>
  );
}
