import { Tag, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '@/components/ui/Input';
import { errorMessage } from '@/lib/errorMessage';
import { useActiveCategories, useConversationCategories, useSetConversationCategories } from '../api/categories';

/**
 * The conversation's categories as chips ("Suporte › Faturamento") and a search box
 * with autocomplete to add one; × removes. Saved at once (who and when are recorded).
 */
export function ConversationCategories({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const tagged = useConversationCategories(conversationId);
  const options = useActiveCategories();
  const save = useSetConversationCategories(conversationId);
  const [text, setText] = useState('');
  const current = tagged.data ?? [];
  const ids = current.map((c) => c.id);
  const listId = `categories-${conversationId}`;

  const pick = (value: string) => {
    const match = (options.data ?? []).find((c) => c.path === value);
    if (match === undefined || ids.includes(match.id)) return;
    setText('');
    save.mutate([...ids, match.id]);
  };

  return (
    <div className="flex min-w-0 flex-wrap items-center gap-1.5" data-testid="conversation-categories">
      <Tag aria-hidden="true" className="size-3.5 shrink-0 text-slate-500" />
      {current.map((c) => (
        <span key={c.id} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-[12px] text-slate-800">
          {c.path}
          <button
            type="button"
            aria-label={t('categories.remove', { name: c.path })}
            className="text-slate-500 hover:text-slate-900"
            onClick={() => {
              save.mutate(ids.filter((id) => id !== c.id));
            }}
          >
            <X aria-hidden="true" className="size-3" />
          </button>
        </span>
      ))}
      <Input
        value={text}
        list={listId}
        aria-label={t('categories.add')}
        placeholder={t('categories.add')}
        className="h-7 w-48 text-[12px]"
        onChange={(e) => {
          setText(e.target.value);
          pick(e.target.value);
        }}
      />
      <datalist id={listId}>
        {(options.data ?? [])
          .filter((c) => !ids.includes(c.id))
          .map((c) => (
            <option key={c.id} value={c.path} />
          ))}
      </datalist>
      {save.error && <span className="text-[12px] text-red-700">{errorMessage(save.error, t)}</span>}
    </div>
  );
}
