import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidateEmbedding } from '@/lib/embeds';
import { membersQueryOptions } from './listMembers';
import { teamsQueryOptions } from './listTeams';

describe('teams queries embed users', () => {
  it('go stale when a user changes (what the users feature calls), other queries stay fresh', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
    await qc.query({ ...teamsQueryOptions(), queryFn: () => [] });
    await qc.query({ ...membersQueryOptions('t1'), queryFn: () => [] });
    await qc.query({ queryKey: ['other'], queryFn: () => 1 });

    await invalidateEmbedding(qc, 'user');

    const stale = (key: readonly unknown[]) => qc.getQueryCache().find({ queryKey: key, exact: true })?.state.isInvalidated;
    expect(stale(teamsQueryOptions().queryKey)).toBe(true);
    expect(stale(membersQueryOptions('t1').queryKey)).toBe(true);
    expect(stale(['other'])).toBe(false);
  });
});
