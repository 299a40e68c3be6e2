import { useTranslation } from 'react-i18next';
import { StatusDot } from '@/components/ui/Badge';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../api/keys';

const TONES: Record<ConnectionStatus, 'green' | 'amber' | 'red' | 'grey'> = {
  connected: 'green',
  disconnected: 'grey',
  qr_pending: 'amber',
  pending: 'grey',
  needs_attention: 'red',
};

/** A channel's connection state: coloured dot and translated label. */
export function ConnectionBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = (CONNECTION_STATUSES as readonly string[]).includes(status) ? (status as ConnectionStatus) : null;
  return (
    <span data-testid="connection-status" data-status={status}>
      <StatusDot tone={known ? TONES[known] : 'grey'}>{known ? t(`channelSetup.connection.${known}`) : status}</StatusDot>
    </span>
  );
}
