import { describe, expect, it } from 'vitest';
import { i18n } from './index';

describe('plurals', () => {
  it('reads naturally for 0, 1 and many in both languages', async () => {
    const t = i18n.t.bind(i18n);
    expect([0, 1, 2].map((count) => t('teams.memberCount', { count }))).toEqual(['Nenhum membro', '1 membro', '2 membros']);
    expect(t('users.total', { count: 0 })).toBe('Nenhum usuário');
    await i18n.changeLanguage('en');
    expect([0, 1, 2].map((count) => i18n.t('teams.memberCount', { count }))).toEqual(['No members', '1 member', '2 members']);
  });
});
