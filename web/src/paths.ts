/** Every route of the app, in one place. Build links with these, never by hand. */
export const paths = {
  home: '/',
  login: '/login',
  inbox: '/inbox',
  contacts: '/contacts',
  dashboard: '/dashboard',
  settings: '/settings',
  settingsUsers: '/settings/users',
  settingsTeams: '/settings/teams',
  settingsWorkspace: '/settings/workspace',
  settingsProfile: '/settings/profile',
  settingsChannels: '/settings/channels',
  settingsAsaas: '/settings/asaas',
  settingsCanned: '/settings/canned-responses',
  settingsProductivity: '/settings/productivity',
  settingsCategories: '/settings/categories',
  settingsMyActivity: '/settings/my-activity',
  settingsWhatIsMeasured: '/settings/what-is-measured',
  settingsAudit: '/settings/audit-log',
} as const;

/** `/login?next=…` for sending someone back where they were after signing in. */
export function loginWithNext(next: string): string {
  return next && next !== paths.home ? `${paths.login}?next=${encodeURIComponent(next)}` : paths.login;
}

/**
 * Where to go after signing in. Only same-origin absolute paths are allowed, so a
 * crafted `?next=//evil.example` cannot send the user off-site.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return paths.home;
  if (next === paths.login || next.startsWith(`${paths.login}?`) || next.startsWith(`${paths.login}/`)) return paths.home;
  return next;
}
