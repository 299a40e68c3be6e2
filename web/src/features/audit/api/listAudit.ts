import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';

export type AuditEntry = Schemas['AuditEntryView'];

/** The page's filters; `from` / `to` are days (`YYYY-MM-DD`), `action` an action or `family.*`. */
export interface AuditFilter {
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter, page: number) => [...auditKeys.all, 'list', filter, page] as const,
};

function query(filter: AuditFilter) {
  return {
    actorId: filter.actorId || undefined,
    action: filter.action || undefined,
    from: filter.from || undefined,
    to: filter.to || undefined,
  };
}

/** `GET /audit-log` (admins): a page of entries, newest first, and the total that match. */
export function listAudit(filter: AuditFilter, page: number, signal?: AbortSignal) {
  return call(
    http.GET('/api/v1/audit-log', {
      params: { query: { ...query(filter), limit: AUDIT_PAGE_SIZE, offset: page * AUDIT_PAGE_SIZE } },
      signal,
    }),
  );
}

export const auditQueryOptions = (filter: AuditFilter, page: number) =>
  queryOptions({
    queryKey: auditKeys.list(filter, page),
    queryFn: ({ signal }) => listAudit(filter, page, signal),
    placeholderData: keepPreviousData,
  });

export function useAuditLog(filter: AuditFilter, page: number, enabled = true) {
  return useQuery({ ...auditQueryOptions(filter, page), enabled });
}

/** `GET /audit-log.csv` with the same filters, for a download link (the cookie goes along). */
export function auditCsvUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query(filter))) {
    if (value) params.set(key, value);
  }
  const qs = params.toString();
  return `/api/v1/audit-log.csv${qs ? `?${qs}` : ''}`;
}
