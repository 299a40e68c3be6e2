import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { errorMessage } from '@/lib/errorMessage';
import { usePageTitle } from '@/lib/pageTitle';
import { useAllCategories, useDeleteCategory, useSaveCategory } from '../api/categories';

/**
 * /settings/categories (managers and admins): the interaction categories agents tag
 * conversations with. Names are unique under the same parent; a deleted category
 * leaves the lists but stays on the conversations it was tagged on (reports).
 */
export function CategoriesSettingsPage() {
  const { t } = useTranslation();
  usePageTitle(`${t('categories.title')} · ${t('app.name')}`);
  const list = useAllCategories();
  const save = useSaveCategory();
  const remove = useDeleteCategory();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const error = save.error ?? remove.error ?? list.error;

  return (
    <Card title={t('categories.title')} description={t('categories.subtitle')}>
      <div className="space-y-3 p-4">
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() === '') return;
            save.mutate(
              { name: name.trim(), parentId: parentId === '' ? null : parentId },
              {
                onSuccess: () => {
                  setName('');
                },
              },
            );
          }}
        >
          <label className="text-[13px] text-slate-700">
            {t('categories.name')}
            <Input value={name} onChange={(e) => { setName(e.target.value); }} className="w-56" data-testid="category-name" />
          </label>
          <label className="text-[13px] text-slate-700">
            {t('categories.parent')}
            <Select value={parentId} onChange={(e) => { setParentId(e.target.value); }} className="w-56">
              <option value="">{t('categories.noParent')}</option>
              {(list.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.path}
                </option>
              ))}
            </Select>
          </label>
          <Button type="submit" size="sm" disabled={save.isPending}>
            {t('categories.create')}
          </Button>
        </form>
        {error && <Alert>{errorMessage(error, t)}</Alert>}
        <table className="w-full text-left text-[13px]" data-testid="categories-table">
          <thead className="text-[12px] text-slate-600">
            <tr>
              <th className="py-1.5">{t('categories.name')}</th>
              <th className="py-1.5">{t('categories.active')}</th>
              <th className="py-1.5" />
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((c) => (
              <tr key={c.id} className="border-t border-slate-100">
                <td className="py-1.5 font-medium text-slate-900">{c.path}</td>
                <td className="py-1.5">
                  <input
                    type="checkbox"
                    checked={c.active}
                    aria-label={t('categories.activeFor', { name: c.path })}
                    onChange={(e) => {
                      save.mutate({ id: c.id, active: e.target.checked });
                    }}
                  />
                </td>
                <td className="py-1.5 text-right">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('categories.delete', { name: c.path })}
                    onClick={() => {
                      if (window.confirm(t('categories.confirmDelete', { name: c.path }))) remove.mutate(c.id);
                    }}
                  >
                    <Trash2 aria-hidden="true" className="size-4" />
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
