import { ArrowDownRight, ArrowUpRight, BarChart3, Download } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Alert } from '@/components/ui/Alert';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { csvUrl, GROUPINGS, PRESETS, useKpis, useProductivity, type GroupBy, type Metrics, type Preset } from '../api/reports';
import { duration, percent, trend } from '../format';

function isPreset(value: string | null): value is Preset {
  return (PRESETS as readonly string[]).includes(value ?? '');
}

function isGroupBy(value: string | null): value is GroupBy {
  return (GROUPINGS as readonly string[]).includes(value ?? '');
}

type KpiKey = 'conversationsHandled' | 'resolved' | 'frtSeconds' | 'ahtSeconds' | 'fcrRate';

/** Lower is better for times; higher for the rest. */
const KPIS: { key: KpiKey; kind: 'count' | 'time' | 'rate'; lowerIsBetter?: boolean }[] = [
  { key: 'conversationsHandled', kind: 'count' },
  { key: 'resolved', kind: 'count' },
  { key: 'frtSeconds', kind: 'time', lowerIsBetter: true },
  { key: 'ahtSeconds', kind: 'time', lowerIsBetter: true },
  { key: 'fcrRate', kind: 'rate' },
];

/**
 * Reports (managers and admins; `/dashboard?tab=reports`): KPI cards with the trend
 * against the previous period, productivity per agent / team / channel / category /
 * day as a bar chart, a line chart over the days and a table, and CSV export of
 * exactly the filtered rows. The filters live in the URL.
 */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const preset: Preset = isPreset(params.get('preset')) ? (params.get('preset') as Preset) : 'last_7_days';
  const groupBy: GroupBy = isGroupBy(params.get('groupBy')) ? (params.get('groupBy') as GroupBy) : 'agent';
  const kpis = useKpis(preset);
  const rows = useProductivity(preset, groupBy);
  const days = useProductivity(preset, 'day');

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  const show = (m: Metrics | undefined, key: KpiKey, kind: 'count' | 'time' | 'rate') => {
    const value = m?.[key];
    if (kind === 'time') return duration(value);
    if (kind === 'rate') return percent(value, i18n.language);
    return String(value ?? 0);
  };

  const chartRows = (rows.data?.rows ?? []).map((r) => ({ label: r.label, resolved: r.resolved, replies: r.replies }));
  const lineRows = (days.data?.rows ?? []).map((r) => ({ day: r.key, resolved: r.resolved, handled: r.conversationsHandled }));

  return (
    <div className="space-y-4" data-testid="reports">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label={t('reports.filters')}>
        <label className="flex items-center gap-2 text-[13px] text-slate-700">
          {t('reports.period')}
          <Select value={preset} onChange={(e) => { set('preset', e.target.value); }} className="w-44" data-testid="reports-preset">
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`reports.presets.${p}`)}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 text-[13px] text-slate-700">
          {t('reports.groupBy')}
          <Select value={groupBy} onChange={(e) => { set('groupBy', e.target.value); }} className="w-40" data-testid="reports-group">
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(`reports.groupings.${g}`)}
              </option>
            ))}
          </Select>
        </label>
      </div>

      {kpis.error && <Alert>{errorMessage(kpis.error, t)}</Alert>}
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label={t('reports.kpis.title')}>
        <li className="rounded-lg border border-l-4 border-slate-200 border-l-emerald-500 bg-white p-3">
          <p className="text-[12px] text-slate-600">{t('reports.kpis.agentsOnline')}</p>
          <p className="text-xl font-semibold text-slate-900">
            {kpis.data ? `${kpis.data.agentsOnline} / ${kpis.data.agentsIdle}` : '…'}
          </p>
          <p className="text-[11px] text-slate-500">{t('reports.kpis.onlineIdle')}</p>
        </li>
        {KPIS.map(({ key, kind, lowerIsBetter }) => {
          const change = trend(kpis.data?.current[key], kpis.data?.previous[key]);
          const good = change !== null && (lowerIsBetter ? change < 0 : change > 0);
          return (
            <li key={key} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`kpi-${key}`}>
              <p className="text-[12px] text-slate-600">{t(`reports.kpis.${key}`)}</p>
              <p className="text-xl font-semibold text-slate-900">{kpis.data ? show(kpis.data.current, key, kind) : '…'}</p>
              {change !== null && change !== 0 && (
                <p className={cn('inline-flex items-center gap-0.5 text-[11px]', good ? 'text-emerald-700' : 'text-rose-700')}>
                  {change > 0 ? <ArrowUpRight aria-hidden="true" className="size-3" /> : <ArrowDownRight aria-hidden="true" className="size-3" />}
                  {t('reports.kpis.trend', { value: `${change > 0 ? '+' : ''}${change}%` })}
                </p>
              )}
            </li>
          );
        })}
      </ul>

      <Card
        title={t('reports.productivity.title')}
        description={t('reports.productivity.subtitle')}
        actions={
          <a
            href={csvUrl('productivity', { preset, groupBy })}
            download
            className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-[13px] text-slate-800 hover:bg-slate-50"
            data-testid="reports-csv"
          >
            <Download aria-hidden="true" className="size-3.5" />
            {t('reports.exportCsv')}
          </a>
        }
      >
        {rows.error && <Alert>{errorMessage(rows.error, t)}</Alert>}
        {rows.isPending ? (
          <Skeleton className="h-48 w-full" />
        ) : chartRows.length === 0 ? (
          <EmptyState icon={BarChart3} title={t('reports.empty')} />
        ) : (
          <div className="space-y-4 p-3">
            <div className="grid gap-4 lg:grid-cols-2">
              <figure aria-label={t('reports.productivity.bar')} data-testid="reports-bar">
                <ResponsiveContainer width="100%" height={240}>
                  <BarChart data={chartRows}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="label" fontSize={11} />
                    <YAxis allowDecimals={false} fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Bar dataKey="resolved" name={t('reports.columns.resolved')} fill="#059669" />
                    <Bar dataKey="replies" name={t('reports.columns.replies')} fill="#2563eb" />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <figure aria-label={t('reports.productivity.line')}>
                <ResponsiveContainer width="100%" height={240}>
                  <LineChart data={lineRows}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="day" fontSize={11} />
                    <YAxis allowDecimals={false} fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Line dataKey="resolved" name={t('reports.columns.resolved')} stroke="#059669" />
                    <Line dataKey="handled" name={t('reports.columns.handled')} stroke="#7c3aed" />
                  </LineChart>
                </ResponsiveContainer>
              </figure>
            </div>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-[13px]" data-testid="reports-table">
                <thead className="text-[12px] text-slate-600">
                  <tr>
                    <th className="py-1.5 pr-3">{t(`reports.groupings.${groupBy}`)}</th>
                    <th className="py-1.5 pr-3">{t('reports.columns.handled')}</th>
                    <th className="py-1.5 pr-3">{t('reports.columns.resolved')}</th>
                    <th className="py-1.5 pr-3">{t('reports.columns.replies')}</th>
                    <th className="py-1.5 pr-3">{t('reports.kpis.frtSeconds')}</th>
                    <th className="py-1.5 pr-3">{t('reports.kpis.ahtSeconds')}</th>
                    <th className="py-1.5 pr-3">{t('reports.kpis.fcrRate')}</th>
                    <th className="py-1.5 pr-3">{t('reports.columns.active')}</th>
                    <th className="py-1.5 pr-3">{t('reports.columns.idle')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(rows.data?.rows ?? []).map((r) => (
                    <tr key={r.key} className="border-t border-slate-100">
                      <td className="py-1.5 pr-3 font-medium text-slate-900">{r.label}</td>
                      <td className="py-1.5 pr-3">{r.conversationsHandled}</td>
                      <td className="py-1.5 pr-3">{r.resolved}</td>
                      <td className="py-1.5 pr-3">{r.replies}</td>
                      <td className="py-1.5 pr-3">{duration(r.frtSeconds)}</td>
                      <td className="py-1.5 pr-3">{duration(r.ahtSeconds)}</td>
                      <td className="py-1.5 pr-3">{percent(r.fcrRate, i18n.language)}</td>
                      <td className="py-1.5 pr-3">{duration(r.activeSeconds)}</td>
                      <td className="py-1.5 pr-3">{duration(r.idleSeconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}
