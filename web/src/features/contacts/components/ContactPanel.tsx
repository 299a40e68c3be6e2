import { Mail, Phone, Plus, Trash2 } from 'lucide-react';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { ChannelIcon } from '@/components/ChannelIcon';
import { RelativeTime } from '@/components/RelativeTime';
import { Alert } from '@/components/ui/Alert';
import { Avatar } from '@/components/ui/Avatar';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { useSession } from '@/features/auth';
import { useContactConversations } from '@/features/inbox';
import { ChargesSection } from '@/features/payments';
import { isApiError } from '@/lib/api';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { formatDate, formatDateTime } from '@/lib/format';
import { useNow } from '@/lib/useNow';
import { paths } from '@/paths';
import { useContact } from '../api/getContact';
import { attributesOf, LEAD_STATUSES, type Contact, type LeadStatus } from '../api/keys';
import { useAddNote, useDeleteNote, useNotes } from '../api/notes';
import { useUpdateContact, type ContactPatch } from '../api/updateContact';
import { InlineField } from './InlineField';
import { LeadStatusBadge } from './LeadStatusBadge';

export interface ContactPanelProps {
  contactId: string;
  /** The conversation open next to the panel (marked in the history). */
  currentConversationId?: string;
}

/** Who the customer is: editable details and attributes, conversation history, notes. */
export function ContactPanel({ contactId, currentConversationId }: ContactPanelProps) {
  const { t } = useTranslation();
  const contact = useContact(contactId);
  if (contact.isError) {
    return (
      <div className="space-y-2 p-4">
        <Alert>{errorMessage(contact.error, t)}</Alert>
        <Button variant="secondary" size="sm" onClick={() => void contact.refetch()}>
          {t('common.retry')}
        </Button>
      </div>
    );
  }
  if (contact.data === undefined) return <PanelSkeleton />;
  return (
    <div className="divide-y divide-slate-100" data-testid="contact-panel">
      <Details contact={contact.data} />
      <ChargesSection
        contactId={contactId}
        conversationId={currentConversationId}
        defaultCpfCnpj={cpfCnpjOf(contact.data)}
      />
      <Attributes contact={contact.data} />
      <History contactId={contactId} currentConversationId={currentConversationId} />
      <Notes contactId={contactId} />
    </div>
  );
}

/** The contact's `cpfCnpj` custom attribute, to prefill a charge. */
function cpfCnpjOf(contact: Contact): string | undefined {
  const v = attributesOf(contact).cpfCnpj;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Turns a failed save into the message shown under the field. */
function useSaver(contact: Contact) {
  const { t } = useTranslation();
  const update = useUpdateContact();
  return async (patch: ContactPatch) => {
    try {
      await update.mutateAsync({ id: contact.id, patch });
      toast.success(t('contacts.saved'));
    } catch (err) {
      if (isApiError(err) && err.code === 'validation_failed') {
        const detail = Object.values(err.fieldErrors()).flat().join('; ');
        throw new Error(detail ? t('forms.serverRejected', { detail }) : errorMessage(err, t), { cause: err });
      }
      throw new Error(errorMessage(err, t), { cause: err });
    }
  };
}

function Details({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation();
  const save = useSaver(contact);
  const [leadError, setLeadError] = useState<string | null>(null);
  return (
    <section aria-labelledby={`contact-${contact.id}-title`} className="space-y-3 p-4">
      <h2 id={`contact-${contact.id}-title`} className="sr-only">
        {t('contacts.details')}
      </h2>
      <div className="flex items-start gap-3">
        <Avatar name={contact.name} seed={contact.id} size="lg" />
        <div className="min-w-0 flex-1 space-y-1">
          <InlineField
            label={t('contacts.fields.name')}
            value={contact.name}
            placeholder={t('contacts.fields.name')}
            required
            prominent
            onSave={(name) => save({ name })}
          />
          <LeadStatusBadge status={contact.leadStatus} />
        </div>
      </div>
      <InlineField
        label={t('contacts.fields.phone')}
        type="tel"
        value={contact.phone ?? ''}
        placeholder={t('contacts.addPhone')}
        onSave={(phone) => save({ phone: phone || null })}
        display={
          <span className="inline-flex items-center gap-1.5">
            <Phone aria-hidden="true" className="size-3.5 text-slate-400" />
            {contact.phone}
          </span>
        }
      />
      <InlineField
        label={t('contacts.fields.email')}
        type="email"
        value={contact.email ?? ''}
        placeholder={t('contacts.addEmail')}
        onSave={(email) => save({ email: email || null })}
        display={
          <span className="inline-flex min-w-0 items-center gap-1.5">
            <Mail aria-hidden="true" className="size-3.5 shrink-0 text-slate-400" />
            <span className="break-all">{contact.email}</span>
          </span>
        }
      />
      <label className="block space-y-1">
        <span className="block text-[11px] font-medium uppercase tracking-wide text-slate-500">{t('contacts.fields.leadStatus')}</span>
        <Select
          value={contact.leadStatus}
          onChange={(e) => {
            setLeadError(null);
            save({ leadStatus: e.target.value as LeadStatus }).catch((err: unknown) => {
              setLeadError(err instanceof Error ? err.message : t('errors.generic'));
            });
          }}
          className="h-8 text-[13px]"
        >
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`contacts.lead.${s}`)}
            </option>
          ))}
        </Select>
        {leadError && <span className="block text-xs font-medium text-red-700">{leadError}</span>}
      </label>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
        <dt className="text-slate-500">{t('contacts.fields.firstSeen')}</dt>
        <dd className="text-right text-slate-700" title={formatDateTime(contact.firstSeenAt, i18n.language)}>
          {formatDate(contact.firstSeenAt, i18n.language)}
        </dd>
        {contact.identities.length > 0 && (
          <>
            <dt className="text-slate-500">{t('contacts.fields.identities')}</dt>
            <dd className="text-right text-slate-700">
              {contact.identities.map((i) => (
                <span key={`${i.kind}-${i.value}`} className="block truncate" title={i.value}>
                  {t(`contacts.identity.${i.kind}`)}: {i.value}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function Attributes({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const save = useSaver(contact);
  const attrs = Object.entries(attributesOf(contact));
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: SyntheticEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (k === '') {
      setError(t('contacts.attributes.keyRequired'));
      return;
    }
    setBusy(true);
    try {
      await save({ customAttributes: { [k]: value.trim() } as never });
      setKey('');
      setValue('');
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : t('errors.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`attrs-${contact.id}`} className="space-y-2 p-4">
      <h3 id={`attrs-${contact.id}`} className="text-[13px] font-semibold text-slate-900">
        {t('contacts.attributes.title')}
      </h3>
      {attrs.length === 0 ? (
        <p className="text-xs text-slate-500">{t('contacts.attributes.empty')}</p>
      ) : (
        <ul className="space-y-2">
          {attrs.map(([k, v]) => (
            <li key={k} className="flex items-start gap-1">
              <InlineField
                className="min-w-0 flex-1"
                label={k}
                value={stringify(v)}
                placeholder={t('contacts.attributes.emptyValue')}
                onSave={(next) => save({ customAttributes: { [k]: next } as never })}
              />
              <Button
                size="icon"
                variant="ghost"
                className="mt-3 size-7 text-slate-500 hover:text-red-700"
                aria-label={t('contacts.attributes.remove', { key: k })}
                title={t('contacts.attributes.remove', { key: k })}
                onClick={() => {
                  save({ customAttributes: { [k]: null } as never }).catch((err: unknown) => {
                    toast.error(err instanceof Error ? err.message : t('errors.generic'));
                  });
                }}
              >
                <Trash2 aria-hidden="true" className="size-3.5" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void add(e)} className="space-y-1" aria-label={t('contacts.attributes.add')}>
        <div className="flex gap-1">
          <Input
            aria-label={t('contacts.attributes.key')}
            placeholder={t('contacts.attributes.key')}
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
            }}
            className="h-8 min-w-0 flex-1 text-[13px]"
          />
          <Input
            aria-label={t('contacts.attributes.value')}
            placeholder={t('contacts.attributes.value')}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
            }}
            className="h-8 min-w-0 flex-1 text-[13px]"
          />
          <Button type="submit" size="icon" variant="secondary" aria-label={t('contacts.attributes.add')} title={t('contacts.attributes.add')} loading={busy}>
            {!busy && <Plus aria-hidden="true" className="size-4" />}
          </Button>
        </div>
        {error && (
          <p className="text-xs font-medium text-red-700" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

function History({ contactId, currentConversationId }: { contactId: string; currentConversationId?: string }) {
  const { t } = useTranslation();
  const conversations = useContactConversations(contactId);
  const now = useNow();
  return (
    <section aria-labelledby={`history-${contactId}`} className="space-y-2 p-4">
      <h3 id={`history-${contactId}`} className="text-[13px] font-semibold text-slate-900">
        {t('contacts.history.title')}
      </h3>
      {conversations.isError ? (
        <Alert>{errorMessage(conversations.error, t)}</Alert>
      ) : conversations.data === undefined ? (
        <Skeleton className="h-10 w-full" />
      ) : conversations.data.length === 0 ? (
        <p className="text-xs text-slate-500">{t('contacts.history.empty')}</p>
      ) : (
        <ul className="space-y-1">
          {conversations.data.map((c) => (
            <li key={c.id}>
              <Link
                to={`${paths.inbox}/${c.id}`}
                aria-current={c.id === currentConversationId ? 'page' : undefined}
                className={cn(
                  'flex items-start gap-2 rounded-md px-2 py-1.5 text-[13px] hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600',
                  c.id === currentConversationId && 'bg-brand-50',
                )}
              >
                <ChannelIcon type={c.channel.type} name={c.channel.name} className="mt-0.5" />
                <span className="min-w-0 flex-1">
                  <span className="flex items-center gap-1.5">
                    <span className="truncate font-medium text-slate-800">{c.channel.name}</span>
                    <Badge tone={c.status === 'OPEN' ? 'green' : c.status === 'PENDING' ? 'amber' : 'neutral'}>
                      {t(`inbox.status.${c.status}`)}
                    </Badge>
                  </span>
                  <span className="block truncate text-xs text-slate-500">{c.lastMessagePreview ?? t('inbox.noMessages')}</span>
                </span>
                <RelativeTime value={c.lastActivityAt} now={now} className="shrink-0 text-[11px] text-slate-500" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Notes({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const notes = useNotes(contactId);
  const add = useAddNote();
  const remove = useDeleteNote();
  const meId = useSession((s) => s.user?.id);
  const [text, setText] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    add.mutate(
      { contactId, content },
      {
        onSuccess: () => {
          setText('');
          toast.success(t('contacts.notes.added'));
        },
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  return (
    <section aria-labelledby={`notes-${contactId}`} className="space-y-2 p-4">
      <h3 id={`notes-${contactId}`} className="text-[13px] font-semibold text-slate-900">
        {t('contacts.notes.title')}
      </h3>
      <form onSubmit={submit} className="space-y-1.5">
        <label htmlFor={`note-${contactId}`} className="sr-only">
          {t('contacts.notes.new')}
        </label>
        <textarea
          id={`note-${contactId}`}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
          }}
          rows={2}
          placeholder={t('contacts.notes.placeholder')}
          className="block w-full resize-y rounded-md border border-slate-300 bg-white px-3 py-2 text-[13px] text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600"
        />
        <div className="flex justify-end">
          <Button type="submit" size="sm" variant="secondary" loading={add.isPending} disabled={text.trim() === ''}>
            {t('contacts.notes.add')}
          </Button>
        </div>
      </form>
      {notes.isError ? (
        <Alert>{errorMessage(notes.error, t)}</Alert>
      ) : notes.data === undefined ? (
        <Skeleton className="h-12 w-full" />
      ) : notes.data.length === 0 ? (
        <p className="text-xs text-slate-500">{t('contacts.notes.empty')}</p>
      ) : (
        <ul className="space-y-2">
          {notes.data.map((n) => (
            <li key={n.id} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2" data-testid="contact-note">
              <p className="whitespace-pre-wrap break-words text-[13px] text-slate-900">{n.content}</p>
              <div className="mt-1 flex items-center gap-2 text-[11px] text-slate-500">
                <span className="min-w-0 flex-1 truncate">
                  {n.authorName ?? t('contacts.notes.formerUser')}
                  {n.authorId === meId && ` (${t('common.you')})`} · {formatDateTime(n.createdAt, i18n.language)}
                </span>
                <button
                  type="button"
                  className="rounded p-0.5 text-slate-500 hover:bg-amber-100 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-brand-600"
                  aria-label={t('contacts.notes.delete')}
                  title={t('contacts.notes.delete')}
                  onClick={() => {
                    setDeleting(n.id);
                  }}
                >
                  <Trash2 aria-hidden="true" className="size-3.5" />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title={t('contacts.notes.deleteTitle')}
        description={t('contacts.notes.deleteBody')}
        confirmLabel={t('common.delete')}
        cancelLabel={t('common.cancel')}
        pending={remove.isPending}
        onConfirm={() => {
          if (deleting === null) return;
          remove.mutate(
            { contactId, noteId: deleting },
            {
              onSuccess: () => {
                setDeleting(null);
                toast.success(t('contacts.notes.deleted'));
              },
              onError: (err) => {
                setDeleting(null);
                toast.error(errorMessage(err, t));
              },
            },
          );
        }}
      />
    </section>
  );
}

function PanelSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="space-y-3 p-4" role="status">
      <span className="sr-only">{t('common.loading')}</span>
      <div className="flex items-center gap-3">
        <Skeleton className="size-12 rounded-full" />
        <div className="flex-1 space-y-2">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-3 w-16" />
        </div>
      </div>
      <Skeleton className="h-3 w-3/4" />
      <Skeleton className="h-3 w-2/3" />
    </div>
  );
}

