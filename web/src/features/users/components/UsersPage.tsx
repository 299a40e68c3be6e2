import { Pencil, Plus, Search, UserX, Users } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Badge, StatusDot } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState } from '@/components/ui/EmptyState';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { type Role, ROLES, useRole, useSession } from '@/features/auth';
import { errorMessage } from '@/lib/errorMessage';
import { formatDateTime } from '@/lib/format';
import { useDebounced } from '@/lib/useDebounced';
import { useDeactivateUser } from '../api/deactivateUser';
import type { UserView } from '../api/keys';
import { useUsers } from '../api/listUsers';
import { RoleBadge } from './RoleBadge';
import { CreateUserDialog, EditUserDialog } from './UserDialogs';

export const USERS_PAGE_SIZE = 25;

function isRole(v: string | null): v is Role {
  return v !== null && (ROLES as readonly string[]).includes(v);
}

/** Settings → Users: search, filter, and (for admins) create, edit and deactivate. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { isAdmin } = useRole();
  const meId = useSession((s) => s.user?.id);
  const [params, setParams] = useSearchParams();
  const role = isRole(params.get('role')) ? (params.get('role') as Role) : undefined;
  const page = Math.max(0, Number(params.get('page') ?? '0') || 0);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 250);

  // Keep the URL in step with the (debounced) search so a reload shows the same list.
  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if ((next.get('q') ?? '') === q) return prev;
        if (q) next.set('q', q);
        else next.delete('q');
        next.delete('page');
        return next;
      },
      { replace: true },
    );
  }, [q, setParams]);

  const setFilter = (key: 'role' | 'page', value: string | undefined) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  const users = useUsers({ q: q || undefined, role, limit: USERS_PAGE_SIZE, offset: page * USERS_PAGE_SIZE });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [deactivating, setDeactivating] = useState<UserView | null>(null);
  const deactivate = useDeactivateUser();

  const filtered = q !== '' || role !== undefined;
  const total = users.data?.total ?? 0;
  const rows = users.data?.users ?? [];

  const onDeactivate = () => {
    if (deactivating === null) return;
    deactivate.mutate(deactivating.id, {
      onSuccess: (user) => {
        toast.success(t('users.deactivate.success', { name: user.name }));
        setDeactivating(null);
      },
      onError: (err) => {
        toast.error(errorMessage(err, t));
        setDeactivating(null);
      },
    });
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-[15px] font-semibold text-slate-900">{t('users.title')}</h2>
          <p className="text-[13px] text-slate-600">{t('users.subtitle')}</p>
        </div>
        {isAdmin && (
          <Button
            onClick={() => {
              setCreating(true);
            }}
          >
            <Plus aria-hidden="true" className="size-4" />
            {t('users.new')}
          </Button>
        )}
      </div>

      <div className="flex flex-col gap-2 sm:flex-row sm:items-center" role="search">
        <label className="relative flex-1 sm:max-w-xs">
          <span className="sr-only">{t('users.search')}</span>
          <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-400" />
          <Input
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
            }}
            placeholder={t('users.searchPlaceholder')}
            className="pl-8"
          />
        </label>
        <label className="flex items-center gap-2 text-[13px] text-slate-700">
          <span className="shrink-0">{t('users.roleFilter')}</span>
          <Select
            value={role ?? ''}
            onChange={(e) => {
              setFilter('role', e.target.value || undefined);
            }}
            className="sm:w-44"
          >
            <option value="">{t('users.allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </Select>
        </label>
        {users.data !== undefined && (
          <p className="text-[13px] text-slate-500 sm:ml-auto" aria-live="polite">
            {t('users.total', { count: total })}
          </p>
        )}
      </div>

      {users.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(users.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void users.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : users.isPending ? (
        <UsersTableSkeleton />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={Users}
          title={t('users.empty.title')}
          body={filtered ? t('users.empty.filtered') : undefined}
          action={
            filtered ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setSearch('');
                  setParams({}, { replace: true });
                }}
              >
                {t('users.empty.clearFilters')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white" aria-busy={users.isFetching}>
          <table className="w-full text-left text-[13px]">
            <caption className="sr-only">{t('users.title')}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="w-full px-3 py-2 font-medium md:w-auto">
                  {t('users.columns.name')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                  {t('users.columns.email')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('users.columns.role')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                  {t('users.columns.status')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
                  {t('users.columns.lastLogin')}
                </th>
                {isAdmin && (
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    <span className="sr-only">{t('users.columns.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((u) => (
                <tr key={u.id} className={u.active ? 'hover:bg-slate-50' : 'bg-slate-50/60 text-slate-500'}>
                  <td className="max-w-0 px-3 py-2 md:max-w-none">
                    <div className="flex min-w-0 items-center gap-1.5">
                      <span className="truncate font-medium text-slate-900">{u.name}</span>
                      {u.id === meId && <span className="shrink-0 text-xs text-slate-500">({t('common.you')})</span>}
                      {!u.active && (
                        <Badge tone="neutral" className="sm:hidden">
                          {t('users.inactive')}
                        </Badge>
                      )}
                    </div>
                    <div className="truncate text-xs text-slate-500 md:hidden">{u.email}</div>
                  </td>
                  <td className="hidden px-3 py-2 text-slate-700 md:table-cell">{u.email}</td>
                  <td className="px-3 py-2">
                    <RoleBadge role={u.role} />
                  </td>
                  <td className="hidden px-3 py-2 sm:table-cell">
                    <StatusDot tone={u.active ? 'green' : 'grey'}>{u.active ? t('users.active') : t('users.inactive')}</StatusDot>
                  </td>
                  <td className="hidden whitespace-nowrap px-3 py-2 tabular-nums text-slate-700 lg:table-cell">
                    {u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : <span className="text-slate-400">{t('common.never')}</span>}
                  </td>
                  {isAdmin && (
                    <td className="whitespace-nowrap px-2 py-1.5 text-right">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={t('users.edit.action', { name: u.name })}
                        title={t('common.edit')}
                        onClick={() => {
                          setEditing(u);
                        }}
                      >
                        <Pencil aria-hidden="true" className="size-4" />
                      </Button>
                      {u.active && u.id !== meId && (
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-label={t('users.deactivate.action', { name: u.name })}
                          title={t('users.deactivate.confirm')}
                          className="text-red-700 hover:bg-red-50 hover:text-red-800"
                          onClick={() => {
                            setDeactivating(u);
                          }}
                        >
                          <UserX aria-hidden="true" className="size-4" />
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {total > USERS_PAGE_SIZE && (
            <nav
              aria-label={t('users.title')}
              className="flex items-center justify-between gap-2 border-t border-slate-200 px-3 py-2 text-[13px] text-slate-600"
            >
              <span>
                {t('common.range', {
                  from: page * USERS_PAGE_SIZE + 1,
                  to: Math.min(total, (page + 1) * USERS_PAGE_SIZE),
                  total,
                })}
              </span>
              <span className="flex gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={page === 0}
                  onClick={() => {
                    setFilter('page', page > 1 ? String(page - 1) : undefined);
                  }}
                >
                  {t('common.previous')}
                </Button>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={(page + 1) * USERS_PAGE_SIZE >= total}
                  onClick={() => {
                    setFilter('page', String(page + 1));
                  }}
                >
                  {t('common.next')}
                </Button>
              </span>
            </nav>
          )}
        </div>
      )}

      {isAdmin && (
        <>
          <CreateUserDialog open={creating} onOpenChange={setCreating} />
          <EditUserDialog
            user={editing}
            onOpenChange={(open) => {
              if (!open) setEditing(null);
            }}
          />
          <ConfirmDialog
            open={deactivating !== null}
            onOpenChange={(open) => {
              if (!open) setDeactivating(null);
            }}
            title={t('users.deactivate.title', { name: deactivating?.name ?? '' })}
            description={t('users.deactivate.body')}
            confirmLabel={t('users.deactivate.confirm')}
            cancelLabel={t('common.cancel')}
            onConfirm={onDeactivate}
            pending={deactivate.isPending}
          />
        </>
      )}
    </div>
  );
}

function UsersTableSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="rounded-lg border border-slate-200 bg-white" role="status">
      <span className="sr-only">{t('common.loading')}</span>
      <div className="h-9 border-b border-slate-200 bg-slate-50" />
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-4 border-b border-slate-100 px-3 py-3 last:border-0">
          <Skeleton className="h-3.5 w-36" />
          <Skeleton className="hidden h-3.5 w-48 md:block" />
          <Skeleton className="h-4 w-16 rounded-full" />
          <Skeleton className="ml-auto h-3.5 w-24" />
        </div>
      ))}
    </div>
  );
}
