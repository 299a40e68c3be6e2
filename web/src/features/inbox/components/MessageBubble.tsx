import { Check, CheckCheck, CircleAlert, Clock, FileText, Lock, MapPin, RotateCw } from 'lucide-react';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogContent } from '@/components/ui/Dialog';
import { cn } from '@/lib/cn';
import { errorCodeMessage } from '@/lib/errorMessage';
import { formatBytes, formatDateTime, formatTime } from '@/lib/format';
import type { TFunction } from 'i18next';
import type { AttachmentRef, Message, MessageStatus } from '../api/keys';
import { locationOf } from '../richText/location';
import { RichText } from '../richText/RichText';

/** A message as the list shows it: the server's, or one of ours still on its way. */
export interface DisplayMessage extends Message {
  /** Set for an optimistic message (not confirmed by the server yet, or refused). */
  local?: { clientId: string; errorCode?: string };
}

export interface MessageBubbleProps {
  message: DisplayMessage;
  /** Retries a failed message (the server's FAILED, or an optimistic send that failed). */
  onRetry: (message: DisplayMessage) => void;
  retrying?: boolean;
}

/** Contact on the left; agent replies on the right; private notes amber; system lines centred. */
export const MessageBubble = memo(function MessageBubble({ message: m, onRetry, retrying = false }: MessageBubbleProps) {
  const { t, i18n } = useTranslation();
  if (m.senderType === 'SYSTEM') {
    return (
      <div className="flex justify-center py-1" data-testid="message" data-kind="system">
        <p className="max-w-[85%] rounded-full bg-slate-100 px-3 py-1 text-center text-xs text-slate-600">
          {m.content}
          <span className="ml-2 text-[11px] text-slate-400">{formatTime(m.createdAt, i18n.language)}</span>
        </p>
      </div>
    );
  }
  const fromContact = m.senderType === 'CONTACT';
  const note = m.isPrivate;
  const kind = fromContact ? 'contact' : note ? 'note' : 'agent';
  const failed = m.status === 'FAILED';
  const retryingAttempt = m.status === 'PENDING' && m.deliveryAttempts > 0 && kind === 'agent';
  const reason = m.local?.errorCode !== undefined ? errorCodeMessage(m.local.errorCode, t) : failureText(m, t);
  // The provider's own words are technical (and usually English): behind "details".
  const technical = m.local === undefined ? (m.failureReason ?? null) : null;

  return (
    <div
      className={cn('flex flex-col py-0.5', fromContact ? 'items-start' : 'items-end')}
      data-testid="message"
      data-kind={kind}
      data-status={m.status}
      data-message-id={m.local ? undefined : m.id}
    >
      <div
        className={cn(
          'max-w-[85%] rounded-2xl px-3 py-2 text-[14px] leading-snug shadow-sm sm:max-w-[70%]',
          fromContact && 'rounded-bl-md border border-slate-200 bg-white text-slate-900',
          kind === 'agent' && 'rounded-br-md bg-brand-700 text-white',
          note && 'rounded-br-md border border-amber-300 bg-amber-50 text-amber-950',
          failed && kind === 'agent' && 'bg-brand-700/80',
        )}
      >
        {note && (
          <p className="mb-1 flex items-center gap-1 text-[11px] font-semibold uppercase tracking-wide text-amber-800">
            <Lock aria-hidden="true" className="size-3" />
            {t('inbox.message.privateNote')}
          </p>
        )}
        {m.attachments.length > 0 && (
          <div className="mb-1 space-y-1.5">
            {m.attachments.map((a, i) => (
              <AttachmentPreview key={a.id ?? `${a.url}-${i}`} attachment={a} onDark={kind === 'agent'} />
            ))}
          </div>
        )}
        {m.contentType === 'location' && <LocationLine metadata={m.metadata} onDark={kind === 'agent'} />}
        {m.content && (
          <p className="whitespace-pre-wrap break-words">
            <RichText text={m.content} onDark={kind === 'agent'} />
          </p>
        )}
        <p
          className={cn(
            'mt-1 flex items-center justify-end gap-1 text-[11px]',
            kind === 'agent' ? 'text-brand-100' : note ? 'text-amber-800' : 'text-slate-500',
          )}
        >
          {!fromContact && m.sender?.name && <span className="mr-1 truncate">{m.sender.name}</span>}
          <time dateTime={m.createdAt} title={formatDateTime(m.createdAt, i18n.language)}>
            {formatTime(m.createdAt, i18n.language)}
          </time>
          {kind === 'agent' && <StatusTick status={m.status} />}
        </p>
      </div>
      {retryingAttempt && (
        <div className="mt-1 flex max-w-[85%] flex-wrap items-center justify-end gap-2 text-xs text-amber-800" role="status" data-testid="message-retrying">
          <span className="flex items-center gap-1">
            <RotateCw aria-hidden="true" className="size-3.5" />
            {t('inbox.message.retrying', { attempt: m.deliveryAttempts + 1, max: m.maxDeliveryAttempts })}
          </span>
          {technical && <Details text={technical} />}
        </div>
      )}
      {failed && kind === 'agent' && (
        <div className="mt-1 flex max-w-[85%] flex-wrap items-center justify-end gap-2 text-xs text-red-700" role="alert">
          <span className="flex items-center gap-1">
            <CircleAlert aria-hidden="true" className="size-3.5" />
            {reason ? t('inbox.message.failedWithReason', { reason }) : t('inbox.message.failed')}
          </span>
          {technical && <Details text={technical} />}
          <Button
            size="sm"
            variant="secondary"
            className="h-7"
            loading={retrying}
            onClick={() => {
              onRetry(m);
            }}
          >
            {!retrying && <RotateCw aria-hidden="true" className="size-3.5" />}
            {t('inbox.message.retry')}
          </Button>
        </div>
      )}
    </div>
  );
});

const FAILURE_CODES = [
  'provider_unavailable',
  'provider_auth_failed',
  'provider_rejected',
  'provider_failed',
  'no_callback_url',
  'channel_disabled',
  'invalid_configuration',
  'unsupported_channel',
] as const;
type FailureCode = (typeof FAILURE_CODES)[number];

/** The translated reason of a server-side failure (by its code), if the app knows it. */
function failureText(m: Message, t: TFunction): string | null {
  const code = m.failureCode;
  if (code != null && (FAILURE_CODES as readonly string[]).includes(code)) return t(`inbox.message.failure.${code as FailureCode}`);
  return null;
}

/** A "details" toggle revealing the provider's technical words. */
function Details({ text }: { text: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="underline underline-offset-2 hover:no-underline"
        aria-expanded={open}
        onClick={() => {
          setOpen((v) => !v);
        }}
      >
        {open ? t('inbox.message.hideDetails') : t('inbox.message.details')}
      </button>
      {open && <code className="basis-full break-words text-right font-mono text-[11px] text-slate-600">{text}</code>}
    </>
  );
}

/** Pending (clock), sent (✓), delivered (✓✓), read (blue ✓✓), failed (!). */
export function StatusTick({ status }: { status: MessageStatus }) {
  const { t } = useTranslation();
  const label = t(`inbox.message.status.${status}`);
  const common = { 'aria-hidden': true, className: 'size-3.5' } as const;
  const icon =
    status === 'PENDING' ? (
      <Clock {...common} />
    ) : status === 'SENT' ? (
      <Check {...common} />
    ) : status === 'DELIVERED' ? (
      <CheckCheck {...common} />
    ) : status === 'READ' ? (
      <CheckCheck aria-hidden="true" className="size-3.5 text-sky-300" />
    ) : (
      <CircleAlert aria-hidden="true" className="size-3.5 text-red-200" />
    );
  return (
    <span role="img" aria-label={label} title={label} data-testid="status-tick" data-status={status} className="inline-flex">
      {icon}
    </span>
  );
}

/** An image in the thread; a click shows it large, with a link to the original. */
function ImageLightbox({ url, name }: { url: string; name: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <button type="button" onClick={() => {
          setOpen(true);
        }} className="block cursor-zoom-in rounded-lg focus-visible:outline-2 focus-visible:outline-brand-600" aria-label={t('inbox.message.viewImage', { name })}>
        <img src={url} alt={name} loading="lazy" className="max-h-64 max-w-full rounded-lg object-contain" />
      </button>
      <DialogContent title={name} closeLabel={t('common.close')} className="sm:top-[5vh] sm:max-w-4xl">
        <img src={url} alt={name} className="mx-auto max-h-[75dvh] max-w-full rounded-lg object-contain" data-testid="lightbox-image" />
        <p className="mt-3 text-right text-[13px]">
          <a href={url} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline underline-offset-2">
            {t('inbox.message.openOriginal')}
          </a>
        </p>
      </DialogContent>
    </Dialog>
  );
}

/** A shared location: its name and address when the provider gave them, and a map link. */
function LocationLine({ metadata, onDark }: { metadata: Message['metadata']; onDark: boolean }) {
  const { t } = useTranslation();
  const place = locationOf(metadata);
  return (
    <div className="mb-1 flex items-start gap-1.5 text-[13px]" data-testid="message-location">
      <MapPin aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0">
        <p className="font-medium">{place?.name ?? t('inbox.message.location')}</p>
        {place?.address && <p className="opacity-90">{place.address}</p>}
        {place && (
          <a
            href={`https://www.google.com/maps/search/?api=1&query=${place.lat},${place.lng}`}
            target="_blank"
            rel="noopener noreferrer"
            className={cn('underline underline-offset-2', onDark ? 'text-white' : 'text-brand-700')}
          >
            {t('inbox.message.openMap')}
          </a>
        )}
      </div>
    </div>
  );
}

function AttachmentPreview({ attachment: a, onDark }: { attachment: AttachmentRef; onDark: boolean }) {
  const { t, i18n } = useTranslation();
  const mime = a.mimeType ?? '';
  const name = a.fileName ?? t('inbox.message.file');
  if (mime.startsWith('image/')) {
    return <ImageLightbox url={a.url} name={name} />;
  }
  if (mime.startsWith('audio/')) {
    return <audio controls src={a.url} className="w-64 max-w-full" aria-label={name} />;
  }
  if (mime.startsWith('video/')) {
    return <video controls src={a.url} className="max-h-64 max-w-full rounded-lg" aria-label={name} />;
  }
  return (
    <a
      href={a.url}
      target="_blank"
      rel="noreferrer"
      download={a.fileName ?? true}
      className={cn(
        'flex items-center gap-2 rounded-lg px-2 py-1.5 text-[13px] underline-offset-2 hover:underline',
        onDark ? 'bg-white/15 text-white' : 'bg-slate-100 text-slate-800',
      )}
    >
      <FileText aria-hidden="true" className="size-4 shrink-0" />
      <span className="min-w-0 truncate">{name}</span>
      {a.size != null && <span className="shrink-0 text-[11px] opacity-80">{formatBytes(a.size, i18n.language)}</span>}
    </a>
  );
}
