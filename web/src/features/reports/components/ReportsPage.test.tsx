import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { activityMe, presence } from '@/test/presenceFixtures';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';

const PERIOD = { from: '2026-03-04T03:00:00Z', to: '2026-03-11T03:00:00Z', firstDay: '2026-03-04', lastDay: '2026-03-10', timeZone: 'America/Sao_Paulo' };

function metrics(over: Record<string, unknown> = {}) {
  return {
    conversationsHandled: 0,
    resolved: 0,
    replies: 0,
    reopened: 0,
    charges: 0,
    frtSeconds: null,
    frtCount: 0,
    resolutionSeconds: null,
    ahtSeconds: null,
    fcrResolved: 0,
    fcrRate: null,
    sessions: 0,
    loggedSeconds: 0,
    activeSeconds: 0,
    idleSeconds: 0,
    ...over,
  };
}

function api() {
  return mockApi({
    'GET /api/v1/activity/me': () => jsonResponse(activityMe()),
    'POST /api/v1/activity/active': () => jsonResponse(presence()),
    'GET /api/v1/reports/kpis': () =>
      jsonResponse({
        period: PERIOD,
        agentsOnline: 3,
        agentsIdle: 1,
        current: metrics({ conversationsHandled: 12, resolved: 10, frtSeconds: 125, ahtSeconds: 600, fcrRate: 0.8 }),
        previous: metrics({ conversationsHandled: 10, resolved: 10, frtSeconds: 250, ahtSeconds: 600, fcrRate: 0.8 }),
      }),
    'GET /api/v1/reports/productivity': (req) => {
      const groupBy = new URL(req.url, 'http://x').searchParams.get('groupBy');
      const rows =
        groupBy === 'day'
          ? [{ key: '2026-03-10', label: '2026-03-10', ...metrics({ resolved: 10, conversationsHandled: 12 }) }]
          : [{ key: 'a-bruna', label: 'Bruna Alves', ...metrics({ conversationsHandled: 12, resolved: 10, replies: 30, frtSeconds: 125, fcrRate: 0.8 }) }];
      return jsonResponse({ period: PERIOD, groupBy, rows, total: rows.length, totals: metrics() });
    },
  });
}

describe('/dashboard?tab=reports', () => {
  it('shows the KPI cards with their trend, the table, and filters that refetch and export the same rows', async () => {
    const mock = api();
    renderSignedIn('/dashboard?tab=reports', 'MANAGER');
    const handled = await screen.findByTestId('kpi-conversationsHandled', {}, { timeout: 10_000 });
    await waitFor(() => { expect(handled).toHaveTextContent('12'); });
    expect(handled).toHaveTextContent('+20% vs. período anterior');
    // FRT halved: a good trend, lower is better.
    expect(screen.getByTestId('kpi-frtSeconds')).toHaveTextContent('00:02:05');
    expect(screen.getByTestId('kpi-frtSeconds')).toHaveTextContent('-50%');
    expect(screen.getByTestId('kpi-fcrRate')).toHaveTextContent('80%');
    const table = await screen.findByTestId('reports-table');
    expect(within(table).getByText('Bruna Alves')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Relatórios' })).toHaveAttribute('aria-selected', 'true');

    await userEvent.selectOptions(screen.getByTestId('reports-preset'), 'today');
    await waitFor(() => { expect(requestsTo(mock, '/api/v1/reports/kpis').some((r) => r.url.includes('preset=today'))).toBe(true); },
    );
    await userEvent.selectOptions(screen.getByTestId('reports-group'), 'channel');
    await waitFor(() => { expect(requestsTo(mock, '/api/v1/reports/productivity').some((r) => r.url.includes('groupBy=channel'))).toBe(true); },
    );
    const csv = screen.getByTestId('reports-csv');
    expect(csv).toHaveTextContent('Exportar CSV');
    expect(csv.getAttribute('href')).toBe('/api/v1/reports/productivity?preset=today&groupBy=channel&format=csv');
  });
});
