import { useTranslation } from 'react-i18next';
import { Badge, type Tone } from '@/components/ui/Badge';
import type { LeadStatus } from '../api/keys';

const TONES: Record<LeadStatus, Tone> = { new: 'sky', contacted: 'violet', qualified: 'amber', customer: 'green', lost: 'neutral' };

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[status]}>{t(`contacts.lead.${status}`)}</Badge>;
}
