import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { activityMe, presence } from '@/test/presenceFixtures';
import { applyLocalTransition, applyMyPresence } from './activity';
import { presenceKeys, type ActivityMe } from './keys';

const at = (s: number) => new Date(Date.parse('2026-12-03T12:00:00Z') + s * 1000).toISOString();

function cache() {
  const qc = new QueryClient();
  qc.setQueryData(presenceKeys.me(), activityMe({ presence: presence({ since: at(0) }) }));
  const me = () => qc.getQueryData<ActivityMe>(presenceKeys.me())?.presence;
  return { qc, me };
}

describe('my presence in the cache', () => {
  it('keeps the newer of two server views', () => {
    const { qc, me } = cache();
    applyMyPresence(qc, presence({ status: 'IDLE', since: at(60) }));
    applyMyPresence(qc, presence({ status: 'ACTIVE', since: at(30) }));
    expect(me()?.status).toBe('IDLE');
  });

  it('shows a local transition at once, and the server answer replaces it even if its clock is behind', () => {
    const { qc, me } = cache();
    applyLocalTransition(qc, 'IDLE', 'client_idle');
    expect(me()?.status).toBe('IDLE');
    // The server's `since` is earlier than the client's now (clock skew): still taken.
    applyMyPresence(qc, presence({ status: 'IDLE', since: at(5), session: { id: 'ws-1', loginAt: at(-3600), activeSeconds: 3005, idleSeconds: 590 } }));
    expect(me()).toMatchObject({ status: 'IDLE', since: at(5) });
    expect(me()?.session?.activeSeconds).toBe(3005);
  });

  it('ignores views of someone else', () => {
    const { qc, me } = cache();
    applyMyPresence(qc, presence({ agentId: 'other', status: 'IDLE', since: at(60) }));
    expect(me()?.status).toBe('ACTIVE');
  });
});
