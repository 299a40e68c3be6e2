import { Lock, MessageSquareReply, Paperclip, SendHorizontal, X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '@/components/ui/Button';
import { Spinner } from '@/components/ui/Spinner';
import { useSession } from '@/features/auth';
import { type CannedResponse, renderCanned, useCanned } from '@/features/canned';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { formatBytes } from '@/lib/format';
import { useDebounced } from '@/lib/useDebounced';
import type { Attachment, Conversation } from '../api/keys';
import { useSendMessage } from '../api/sendMessage';
import { MAX_ATTACHMENT_BYTES, uploadAttachment } from '../api/uploadAttachment';
import { COMPOSER_ID, slashToken } from '../composerText';


interface Upload {
  key: string;
  name: string;
  size: number;
  attachment?: Attachment;
}

/**
 * Reply box: Enter sends, Shift+Enter breaks the line; `/` opens the canned responses
 * (arrows + Enter/Tab to pick, Esc to close) with `{{contact.name}}`-style variables
 * filled in; attachments upload as soon as they are chosen; the lock toggles a private
 * note that the customer never sees.
 */
export function Composer({ conversation }: { conversation: Conversation }) {
  const { t, i18n } = useTranslation();
  const agent = useSession((s) => s.user);
  const { send } = useSendMessage();
  const [text, setText] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [caret, setCaret] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  // Replying in a conversation someone else holds asks once (per conversation on screen).
  const [askingToReply, setAskingToReply] = useState(false);
  const [replyConfirmed, setReplyConfirmed] = useState(false);
  const holder = conversation.assignee && conversation.assignee.id !== agent?.id ? conversation.assignee : null;
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const listId = useId();

  const token = slashToken(text, caret);
  const pickerOpen = token !== null && dismissedAt !== token.start;
  const term = useDebounced(token?.term ?? '', 150);
  const canned = useCanned(term, pickerOpen);
  const options: CannedResponse[] = pickerOpen ? (canned.data ?? []).slice(0, 8) : [];
  const activeIndex = Math.min(active, Math.max(0, options.length - 1));

  // Grow with the text up to ~8 lines.
  useEffect(() => {
    const el = inputRef.current;
    if (el === null) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const uploading = uploads.some((u) => u.attachment === undefined);
  const ready = uploads.filter((u): u is Upload & { attachment: Attachment } => u.attachment !== undefined);
  const canSend = !uploading && (text.trim() !== '' || ready.length > 0);

  const submit = (confirmed = replyConfirmed) => {
    if (!canSend) return;
    if (holder !== null && !isPrivate && !confirmed) {
      setAskingToReply(true);
      return;
    }
    setAskingToReply(false);
    void send({ conversationId: conversation.id, content: text, isPrivate, attachments: ready.map((u) => u.attachment) });
    setText('');
    setCaret(0);
    setUploads([]);
    setDismissedAt(null);
    inputRef.current?.focus();
  };

  const pick = (option: CannedResponse) => {
    if (token === null) return;
    const rendered = renderCanned(option.content, {
      contact: conversation.contact,
      agent: { name: agent?.name ?? '' },
    });
    const next = text.slice(0, token.start) + rendered + text.slice(caret);
    const at = token.start + rendered.length;
    setText(next);
    setCaret(at);
    setActive(0);
    requestAnimationFrame(() => {
      inputRef.current?.setSelectionRange(at, at);
      inputRef.current?.focus();
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (pickerOpen && options.length > 0) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setActive((activeIndex + 1) % options.length);
        return;
      }
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((activeIndex - 1 + options.length) % options.length);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        const option = options[activeIndex];
        if (option !== undefined) pick(option);
        return;
      }
    }
    if (pickerOpen && e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setDismissedAt(token.start);
      return;
    }
    if (e.key === 'Escape') {
      inputRef.current?.blur();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      submit();
    }
  };

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    const value = e.target.value;
    const at = e.target.selectionStart;
    setText(value);
    setCaret(at);
    setActive(0);
    if (slashToken(value, at) === null) setDismissedAt(null);
  };

  const onFiles = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      if (file.size > MAX_ATTACHMENT_BYTES) {
        toast.error(t('inbox.composer.tooBig', { name: file.name, max: formatBytes(MAX_ATTACHMENT_BYTES, i18n.language) }));
        continue;
      }
      const key = `${file.name}-${file.size}-${Date.now()}-${Math.random()}`;
      setUploads((u) => [...u, { key, name: file.name, size: file.size }]);
      uploadAttachment(file)
        .then((attachment) => {
          setUploads((u) => u.map((x) => (x.key === key ? { ...x, attachment } : x)));
        })
        .catch((err: unknown) => {
          setUploads((u) => u.filter((x) => x.key !== key));
          toast.error(t('inbox.composer.uploadFailed', { name: file.name, reason: errorMessage(err, t) }));
        });
    }
    if (fileRef.current) fileRef.current.value = '';
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <div className={cn('border-t px-3 pb-3 pt-2', isPrivate ? 'border-amber-200 bg-amber-50' : 'border-slate-200 bg-white')}>
      <div className="mb-2 flex items-center gap-1" role="group" aria-label={t('inbox.composer.mode')}>
        <button
          type="button"
          aria-pressed={!isPrivate}
          onClick={() => {
            setPrivate(false);
          }}
          className={cn(
            'inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium',
            'focus-visible:outline-2 focus-visible:outline-brand-600',
            !isPrivate ? 'bg-brand-50 text-brand-800' : 'text-slate-600 hover:bg-white',
          )}
        >
          <MessageSquareReply aria-hidden="true" className="size-3.5" />
          {t('inbox.composer.reply')}
        </button>
        <button
          type="button"
          aria-pressed={isPrivate}
          onClick={() => {
            setPrivate(true);
          }}
          className={cn(
            'inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium',
            'focus-visible:outline-2 focus-visible:outline-amber-600',
            isPrivate ? 'bg-amber-100 text-amber-900' : 'text-slate-600 hover:bg-slate-100',
          )}
        >
          <Lock aria-hidden="true" className="size-3.5" />
          {t('inbox.composer.privateNote')}
        </button>
        {isPrivate && <span className="ml-1 truncate text-xs text-amber-800">{t('inbox.composer.privateHint')}</span>}
      </div>

      {askingToReply && holder !== null && (
        <div role="alertdialog" aria-label={t('inbox.composer.heldTitle')} className="mb-2 flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-950">
          <span className="min-w-0 flex-1">{t('inbox.composer.heldBy', { name: holder.name })}</span>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setAskingToReply(false);
              inputRef.current?.focus();
            }}
          >
            {t('common.cancel')}
          </Button>
          <Button
            size="sm"
            variant="primary"
            onClick={() => {
              setReplyConfirmed(true);
              submit(true);
            }}
          >
            {t('inbox.composer.replyAnyway')}
          </Button>
        </div>
      )}
      <div className="relative">
        {pickerOpen && (
          <div className="absolute bottom-full left-0 right-0 z-20 mb-2 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-lg">
            <p className="border-b border-slate-100 px-3 py-1.5 text-[11px] font-medium uppercase tracking-wide text-slate-500">
              {t('inbox.canned.title')}
            </p>
            {options.length === 0 ? (
              <p className="px-3 py-2 text-[13px] text-slate-500">
                {canned.isFetching ? t('common.loading') : term ? t('inbox.canned.noMatch', { term }) : t('inbox.canned.empty')}
              </p>
            ) : (
              <ul id={listId} role="listbox" aria-label={t('inbox.canned.title')} className="max-h-60 overflow-y-auto py-1">
                {options.map((o, i) => (
                  <li
                    key={o.id}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === activeIndex}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      pick(o);
                    }}
                    onMouseEnter={() => {
                      setActive(i);
                    }}
                    className={cn('cursor-pointer px-3 py-1.5', i === activeIndex ? 'bg-brand-50' : 'hover:bg-slate-50')}
                  >
                    <span className="block text-[13px] font-medium text-slate-900">/{o.shortCode}</span>
                    <span className="block truncate text-xs text-slate-600">{o.content}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        {uploads.length > 0 && (
          <ul className="mb-2 flex flex-wrap gap-1.5" aria-label={t('inbox.composer.attachments')}>
            {uploads.map((u) => (
              <li key={u.key} className="flex max-w-full items-center gap-1.5 rounded-md border border-slate-200 bg-white py-1 pl-2 pr-1 text-xs text-slate-700">
                {u.attachment === undefined ? <Spinner className="size-3.5" /> : <Paperclip aria-hidden="true" className="size-3.5" />}
                <span className="max-w-48 truncate">{u.name}</span>
                <span className="text-slate-400">{formatBytes(u.size, i18n.language)}</span>
                <button
                  type="button"
                  aria-label={t('inbox.composer.removeAttachment', { name: u.name })}
                  onClick={() => {
                    setUploads((list) => list.filter((x) => x.key !== u.key));
                  }}
                  className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
                >
                  <X aria-hidden="true" className="size-3.5" />
                </button>
              </li>
            ))}
          </ul>
        )}

        <div className="flex items-end gap-2">
          <input
            ref={fileRef}
            type="file"
            multiple
            className="sr-only"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              onFiles(e.target.files);
            }}
            data-testid="composer-file"
          />
          <Button
            variant="ghost"
            size="icon"
            className="mb-0.5"
            aria-label={t('inbox.composer.attach')}
            title={t('inbox.composer.attach')}
            onClick={() => fileRef.current?.click()}
          >
            <Paperclip aria-hidden="true" className="size-4" />
          </Button>
          <label htmlFor={COMPOSER_ID} className="sr-only">
            {isPrivate ? t('inbox.composer.notePlaceholder') : t('inbox.composer.label')}
          </label>
          <textarea
            id={COMPOSER_ID}
            ref={inputRef}
            rows={1}
            value={text}
            onChange={onChange}
            onKeyDown={onKeyDown}
            onSelect={(e) => {
              setCaret(e.currentTarget.selectionStart);
            }}
            placeholder={isPrivate ? t('inbox.composer.notePlaceholder') : t('inbox.composer.placeholder')}
            role="combobox"
            aria-expanded={pickerOpen && options.length > 0}
            aria-controls={pickerOpen && options.length > 0 ? listId : undefined}
            aria-autocomplete="list"
            aria-activedescendant={pickerOpen && options.length > 0 ? optionId(activeIndex) : undefined}
            aria-describedby={`${listId}-hint`}
            className={cn(
              'block max-h-[200px] min-h-9 flex-1 resize-none rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm',
              'placeholder:text-slate-400 focus-visible:outline-2 focus-visible:outline-offset-1',
              isPrivate
                ? 'border-amber-300 focus-visible:outline-amber-600'
                : 'border-slate-300 focus-visible:border-brand-600 focus-visible:outline-brand-600',
            )}
          />
          <Button
            className="mb-0.5"
            onClick={() => {
              submit();
            }}
            disabled={!canSend}
            aria-label={isPrivate ? t('inbox.composer.addNote') : t('inbox.composer.send')}
            title={isPrivate ? t('inbox.composer.addNote') : t('inbox.composer.send')}
            variant="primary"
          >
            <SendHorizontal aria-hidden="true" className="size-4" />
            <span className="hidden sm:inline">{isPrivate ? t('inbox.composer.addNote') : t('inbox.composer.send')}</span>
          </Button>
        </div>
        <p id={`${listId}-hint`} className="mt-1 hidden text-[11px] text-slate-500 sm:block">
          {t('inbox.composer.hint')}
        </p>
      </div>
    </div>
  );
}
