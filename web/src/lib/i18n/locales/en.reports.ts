import type { reportsPtBR } from './pt-BR.reports';

/** English strings for the productivity reports; merged into `en`. */
export const reportsEn: typeof reportsPtBR = {
  tabs: {
    live: 'Live',
    reports: 'Reports',
  },
  filters: 'Report filters',
  period: 'Period',
  groupBy: 'Group by',
  presets: {
    today: 'Today',
    yesterday: 'Yesterday',
    last_7_days: 'Last 7 days',
    this_month: 'This month',
    last_month: 'Last month',
  },
  groupings: {
    agent: 'Agent',
    team: 'Team',
    channel: 'Channel',
    category: 'Category',
    day: 'Day',
  },
  kpis: {
    title: 'Indicators',
    agentsOnline: 'Agents active / idle',
    onlineIdle: 'now',
    conversationsHandled: 'Conversations handled',
    resolved: 'Resolved',
    frtSeconds: 'First response time (FRT)',
    ahtSeconds: 'Average handling time (AHT)',
    fcrRate: 'First-contact resolution',
    trend: '{{value}} vs. previous period',
  },
  productivity: {
    title: 'Productivity',
    subtitle: "Conversations handled and resolved, replies and times, in the workspace's time zone.",
    bar: 'Resolved and replies per group',
    line: 'Day by day',
  },
  columns: {
    handled: 'Handled',
    resolved: 'Resolved',
    replies: 'Replies',
    active: 'Active time',
    idle: 'Idle time',
  },
  exportCsv: 'Export CSV',
  empty: 'Nothing in the chosen period.',
};
