import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';

const AT = '2026-03-10T12:00:00Z';
const SUPPORT = { id: 'c-1', parentId: null, name: 'Suporte', path: 'Suporte', description: null, active: true, createdAt: AT, updatedAt: AT };
const BILLING = { id: 'c-2', parentId: 'c-1', name: 'Faturamento', path: 'Suporte › Faturamento', description: null, active: true, createdAt: AT, updatedAt: AT };

describe('Settings → Categories', () => {
  it('lists categories with their path and creates one under a parent', async () => {
    const mock = mockApi({
      'GET /api/v1/settings/interaction-categories': () => jsonResponse({ items: [SUPPORT, BILLING] }),
      'POST /api/v1/settings/interaction-categories': () => jsonResponse({ category: { ...BILLING, id: 'c-3', name: 'Boleto' } }, { status: 201 }),
    });
    renderSignedIn('/settings/categories', 'MANAGER');
    const table = await screen.findByTestId('categories-table', {}, { timeout: 10_000 });
    expect(await within(table).findByText('Suporte › Faturamento')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('category-name'), 'Boleto');
    await userEvent.selectOptions(screen.getByRole('combobox'), 'c-1');
    await userEvent.click(screen.getByRole('button', { name: 'Adicionar categoria' }));
    await waitFor(() => {
      expect(requestsTo(mock, '/api/v1/settings/interaction-categories', 'POST').map((r) => r.body)).toEqual([
        { name: 'Boleto', parentId: 'c-1' },
      ]);
    });
  });
});
