import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi, renderSignedIn, requestsTo } from '@/test/utils';
import type { Contact } from '../api/keys';

function contact(overrides: Partial<Contact> & { id: string; name: string }): Contact {
  return {
    email: null,
    phone: null,
    leadStatus: 'new',
    sourceChannelId: null,
    customAttributes: {},
    identities: [],
    firstSeenAt: '2026-11-20T12:00:00Z',
    lastActivityAt: '2026-11-28T12:00:00Z',
    createdAt: '2026-11-20T12:00:00Z',
    ...overrides,
  };
}

const MARIA = contact({ id: 'k1', name: 'Maria Silva', phone: '+5511999990001', customAttributes: { plano: 'pro' } as never });
const MARIA2 = contact({ id: 'k2', name: 'Maria S.', email: 'maria@example.com' });

describe('contacts', () => {
  it('imports a CSV and shows the rows it could not take', async () => {
    const fetch = mockApi({
      'GET /api/v1/contacts': () => jsonResponse({ contacts: [MARIA], total: 1 }),
      'POST /api/v1/contacts/import': () =>
        jsonResponse({
          created: 1,
          updated: 0,
          failed: 2,
          errors: [
            { row: 3, field: 'email', code: 'invalid_email', message: 'not a valid email: missing @' },
            { row: 4, field: 'name', code: 'some_future_code', message: 'must be nicer' },
          ],
        }),
    });
    const user = userEvent.setup();
    renderSignedIn('/contacts');
    await user.click(await screen.findByRole('button', { name: 'Importar CSV' }));
    const dialog = await screen.findByRole('dialog', { name: 'Importar contatos' });
    const csv = 'name,email\nAna,ana@example.com\nBeto,nope\n';
    await user.upload(within(dialog).getByLabelText('Arquivo CSV'), new File([csv], 'c.csv', { type: 'text/csv' }));
    await user.click(within(dialog).getByRole('button', { name: 'Importar' }));
    const report = await within(dialog).findByTestId('import-report');
    // Problems are shown in the UI's language; a code this build does not know falls back to the server's text.
    expect(within(report).getByRole('row', { name: /3 email Não é um e-mail válido\./ })).toBeInTheDocument();
    expect(within(report).getByTitle('Detalhe técnico: not a valid email: missing @')).toBeInTheDocument();
    expect(within(report).getByRole('row', { name: /4 name must be nicer/ })).toBeInTheDocument();
    const sent = requestsTo(fetch, '/api/v1/contacts/import', 'POST')[0];
    expect(sent?.headers.get('Content-Type')).toBe('text/csv');
    expect(sent?.body).toBe(csv);
  });

  it('merges two selected duplicates into the one chosen to keep', async () => {
    const fetch = mockApi({
      'GET /api/v1/contacts': () => jsonResponse({ contacts: [MARIA, MARIA2], total: 2 }),
      'POST /api/v1/contacts/k2/merge': () =>
        jsonResponse({ contact: { ...MARIA2, phone: MARIA.phone }, combinedConversations: [{ keptId: 'c1', removedId: 'c2' }] }),
    });
    const user = userEvent.setup();
    renderSignedIn('/contacts');
    await user.click(await screen.findByRole('checkbox', { name: 'Selecionar Maria Silva' }));
    await user.click(screen.getByRole('checkbox', { name: 'Selecionar Maria S.' }));
    await user.click(screen.getByRole('button', { name: 'Mesclar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mesclar contatos duplicados' });
    await user.click(within(dialog).getByRole('radio', { name: /Maria S\./ }));
    await user.click(within(dialog).getByRole('button', { name: 'Mesclar' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/contacts/k2/merge', 'POST')[0]?.body).toEqual({ otherContactId: 'k1' });
    });
    // The merge says that two conversations on one channel became one.
    expect(await screen.findByText(/foi unida à mais antiga/)).toBeInTheDocument();
  });

  it('edits the name inline and shows the server error for a taken phone', async () => {
    let current = MARIA;
    const fetch = mockApi({
      'GET /api/v1/contacts/k1': () => jsonResponse({ contact: current }),
      'GET /api/v1/contacts/k1/notes': () => jsonResponse({ notes: [] }),
      'GET /api/v1/contacts/k1/conversations': () => jsonResponse({ conversations: [], total: 0 }),
      'GET /api/v1/asaas/charges': () => jsonResponse({ asaasCharges: [], total: 0 }),
      'PATCH /api/v1/contacts/k1': (req) => {
        const body = req.body as { name?: string; phone?: string };
        if (body.phone !== undefined) {
          return jsonResponse({ error: { code: 'contact_exists', message: 'taken', details: { field: 'phone' } } }, { status: 409 });
        }
        current = { ...current, ...body };
        return jsonResponse({ contact: current });
      },
    });
    const user = userEvent.setup();
    renderSignedIn('/contacts/k1');
    expect(await screen.findByTestId('contact-name')).toHaveTextContent('Maria Silva');
    expect(screen.getByText('plano')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Editar Nome' }));
    const field = screen.getByLabelText('Nome');
    await user.clear(field);
    await user.type(field, 'Maria Souza{Enter}');
    await waitFor(() => {
      expect(screen.getByTestId('contact-name')).toHaveTextContent('Maria Souza');
    });
    expect(requestsTo(fetch, '/api/v1/contacts/k1', 'PATCH')[0]?.body).toEqual({ name: 'Maria Souza' });

    await user.click(screen.getByRole('button', { name: 'Editar Telefone' }));
    const phone = screen.getByLabelText('Telefone');
    await user.clear(phone);
    await user.type(phone, '+5511988887777{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Já existe um contato com este telefone ou e-mail.');
  });
});
