import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { env } from '@/lib/env';

export type KpiReport = Schemas['KpiReport'];
export type ProductivityReport = Schemas['ProductivityReport'];
export type ProductivityRow = Schemas['ProductivityRow'];
export type Metrics = Schemas['Metrics'];

export const PRESETS = ['today', 'yesterday', 'last_7_days', 'this_month', 'last_month'] as const;
export type Preset = (typeof PRESETS)[number];
export const GROUPINGS = ['agent', 'team', 'channel', 'category', 'day'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

/** The shared filter bar's state. */
export interface ReportFilters {
  preset: Preset;
  groupBy: GroupBy;
}

export const reportKeys = {
  all: ['reports'] as const,
  kpis: (preset: Preset) => [...reportKeys.all, 'kpis', preset] as const,
  productivity: (preset: Preset, groupBy: GroupBy) => [...reportKeys.all, 'productivity', preset, groupBy] as const,
};

/** The endpoints answer JSON or CSV; with our `Accept` header it is always JSON. */
function json<T>(data: T | string): T {
  if (typeof data === 'string') throw new Error('expected JSON');
  return data;
}

/** `GET /reports/kpis`: the period's figures and the previous period's. */
export async function getKpis(preset: Preset, signal?: AbortSignal): Promise<KpiReport> {
  return call(http.GET('/api/v1/reports/kpis', { params: { query: { preset } }, signal }));
}

/** `GET /reports/productivity`: one row per agent, team, channel, category or day. */
export async function getProductivity(preset: Preset, groupBy: GroupBy, signal?: AbortSignal): Promise<ProductivityReport> {
  const data = await call(
    http.GET('/api/v1/reports/productivity', { params: { query: { preset, groupBy, limit: 500 } }, signal }),
  );
  return json<ProductivityReport>(data);
}

export function useKpis(preset: Preset) {
  return useQuery(
    queryOptions({
      queryKey: reportKeys.kpis(preset),
      queryFn: ({ signal }) => getKpis(preset, signal),
      placeholderData: keepPreviousData,
    }),
  );
}

export function useProductivity(preset: Preset, groupBy: GroupBy) {
  return useQuery(
    queryOptions({
      queryKey: reportKeys.productivity(preset, groupBy),
      queryFn: ({ signal }) => getProductivity(preset, groupBy, signal),
      placeholderData: keepPreviousData,
    }),
  );
}

/** The CSV download of a report with these filters (the session cookie authorises it). */
export function csvUrl(report: 'productivity' | 'work-logs' | 'idle' | 'categories' | 'conversations', query: Record<string, string>): string {
  const params = new URLSearchParams({ ...query, format: 'csv' });
  return `${env.VITE_API_BASE_URL}/api/v1/reports/${report}?${params.toString()}`;
}
