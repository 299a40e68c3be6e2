import { useTranslation } from 'react-i18next';
import type { Role } from '@/features/auth';
import { Badge, type Tone } from '@/components/ui/Badge';

const TONE: Record<Role, Tone> = { ADMIN: 'violet', MANAGER: 'sky', AGENT: 'neutral' };

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <Badge tone={TONE[role]}>{t(`roles.${role}`)}</Badge>;
}
