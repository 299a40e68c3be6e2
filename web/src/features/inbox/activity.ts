import type { TFunction } from 'i18next';
import type { Schemas } from '@/lib/api';
import { formatTime } from '@/lib/format';
import { formatSnooze } from './snooze';

export type Activity = Schemas['Activity'];

/**
 * The sentence of an activity line ("Carla atribuiu a João"), in the UI language with
 * the names as they were when it happened; `at` adds the local time ("· 10:42").
 */
export function activityText(a: Activity, t: TFunction, locale: string): string {
  const actor = a.actor?.name || t('inboxTools.activity.someone');
  const agent = a.agent?.name ?? '';
  const from = a.previousAgent?.name ?? '';
  switch (a.kind) {
    case 'assigned':
      if (!a.actor) return t('inboxTools.activity.assignedAuto', { agent });
      if (a.agent?.id === a.actor.id) return t('inboxTools.activity.assignedSelf', { actor });
      return t('inboxTools.activity.assigned', { actor, agent });
    case 'transferred':
      return a.actor ? t('inboxTools.activity.transferred', { actor, from, agent }) : t('inboxTools.activity.transferredAuto', { from, agent });
    case 'unassigned':
      return a.actor ? t('inboxTools.activity.unassigned', { actor, from }) : t('inboxTools.activity.unassignedAuto', { from });
    case 'team_changed':
      return a.team
        ? t('inboxTools.activity.teamSet', { actor, team: a.team.name })
        : t('inboxTools.activity.teamCleared', { actor, team: a.previousTeam?.name ?? '' });
    case 'resolved':
      return t('inboxTools.activity.resolved', { actor });
    case 'reopened':
      return a.actor ? t('inboxTools.activity.reopened', { actor }) : t('inboxTools.activity.reopenedByContact');
    case 'status_changed':
      return a.status === 'PENDING' ? t('inboxTools.activity.statusPending', { actor }) : t('inboxTools.activity.statusOpen', { actor });
    case 'snoozed':
      return t('inboxTools.activity.snoozed', { actor, until: a.until ? formatSnooze(a.until, locale) : '' });
    case 'unsnoozed':
      return a.actor ? t('inboxTools.activity.unsnoozed', { actor }) : t('inboxTools.activity.unsnoozedAuto');
    case 'categories_changed': {
      const added = (a.added ?? []).join(', ');
      const removed = (a.removed ?? []).join(', ');
      if (added && removed) return t('inboxTools.activity.categoriesChanged', { actor, added, removed });
      if (added) return t('inboxTools.activity.categoriesAdded', { actor, added });
      return t('inboxTools.activity.categoriesRemoved', { actor, removed });
    }
  }
}

/** The line with its local time: "Carla atribuiu a João · 10:42". */
export function activityLine(a: Activity, createdAt: string, t: TFunction, locale: string): string {
  return t('inboxTools.activity.at', { text: activityText(a, t, locale), time: formatTime(createdAt, locale) });
}
