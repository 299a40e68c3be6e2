import { Camera, MessageCircle, MessagesSquare, Webhook, type LucideIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { cn } from '@/lib/cn';

type ChannelType = 'API' | 'WHATSAPP_TWILIO' | 'WHATSAPP_ZAPI' | 'FACEBOOK_MESSENGER' | 'INSTAGRAM';

const ICONS: Record<ChannelType, { icon: LucideIcon; tone: string }> = {
  API: { icon: Webhook, tone: 'bg-slate-100 text-slate-700' },
  WHATSAPP_TWILIO: { icon: MessageCircle, tone: 'bg-emerald-100 text-emerald-700' },
  WHATSAPP_ZAPI: { icon: MessageCircle, tone: 'bg-emerald-100 text-emerald-700' },
  FACEBOOK_MESSENGER: { icon: MessagesSquare, tone: 'bg-blue-100 text-blue-700' },
  INSTAGRAM: { icon: Camera, tone: 'bg-pink-100 text-pink-700' },
};

/** The channel's kind as a small coloured icon, named for screen readers. */
export function ChannelIcon({ type, name, className }: { type: ChannelType; name?: string; className?: string }) {
  const { t } = useTranslation();
  const { icon: Icon, tone } = ICONS[type];
  const label = name ? `${t(`channels.types.${type}`)} · ${name}` : t(`channels.types.${type}`);
  return (
    <span role="img" aria-label={label} title={label} className={cn('inline-flex size-5 shrink-0 items-center justify-center rounded-full', tone, className)}>
      <Icon aria-hidden="true" className="size-3" />
    </span>
  );
}
