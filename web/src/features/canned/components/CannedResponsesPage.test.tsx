import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, jsonResponse, mockApi, noContent, renderSignedIn, requestsTo } from '@/test/utils';

const AT = '2026-11-28T12:00:00Z';
const OLA = { id: 'cr1', shortCode: 'ola', content: 'Olá {{contact.name}}!', createdAt: AT, updatedAt: AT };
const PRAZO = { id: 'cr2', shortCode: 'prazo', content: 'O prazo é de 3 dias.', createdAt: AT, updatedAt: AT };

function api(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    'GET /api/v1/canned-responses': (req) =>
      jsonResponse({ cannedResponses: req.url.includes('search=prazo') ? [PRAZO] : [OLA, PRAZO] }),
    ...extra,
  });
}

describe('Settings → Respostas prontas', () => {
  it('lists and searches', async () => {
    const fetch = api();
    renderSignedIn('/settings/canned-responses', 'MANAGER');
    expect(await screen.findByText('/ola')).toBeInTheDocument();
    expect(screen.getAllByTestId('canned-row')).toHaveLength(2);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Buscar respostas prontas' }), 'prazo');
    await waitFor(() => {
      expect(screen.getAllByTestId('canned-row')).toHaveLength(1);
    });
    expect(requestsTo(fetch, '/api/v1/canned-responses', 'GET').some((r) => r.url.includes('search=prazo'))).toBe(true);
  });

  it('creates, translating 409 short_code_taken on the field', async () => {
    let taken = true;
    const fetch = api({
      'POST /api/v1/canned-responses': (req) =>
        taken
          ? apiError(409, 'short_code_taken')
          : jsonResponse({ cannedResponse: { ...OLA, id: 'cr3', ...(req.body as object) } }, { status: 201 }),
    });
    renderSignedIn('/settings/canned-responses', 'ADMIN');
    await userEvent.click(await screen.findByRole('button', { name: 'Nova resposta' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Atalho'), 'ola');
    await userEvent.type(within(dialog).getByLabelText('Texto'), 'Bom dia!');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Criar resposta' }));
    expect(await within(dialog).findByText('Já existe uma resposta pronta com este atalho.')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/canned-responses', 'POST')[0]?.body).toEqual({ shortCode: 'ola', content: 'Bom dia!' });

    taken = false;
    await userEvent.clear(within(dialog).getByLabelText('Atalho'));
    await userEvent.type(within(dialog).getByLabelText('Atalho'), 'bomdia');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Criar resposta' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    expect(requestsTo(fetch, '/api/v1/canned-responses', 'POST')[1]?.body).toEqual({ shortCode: 'bomdia', content: 'Bom dia!' });
  });

  it('rejects spaces in the short code before calling the server', async () => {
    const fetch = api();
    renderSignedIn('/settings/canned-responses', 'ADMIN');
    await userEvent.click(await screen.findByRole('button', { name: 'Nova resposta' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Atalho'), 'bom dia');
    await userEvent.type(within(dialog).getByLabelText('Texto'), 'Oi');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Criar resposta' }));
    expect(await within(dialog).findByText('Use só letras, números, - e _ (sem espaços).')).toBeInTheDocument();
    expect(requestsTo(fetch, '/api/v1/canned-responses', 'POST')).toHaveLength(0);
  });

  it('edits only what changed and deletes after confirming; shows errors as toasts', async () => {
    const fetch = api({
      'PATCH /api/v1/canned-responses/cr1': (req) => jsonResponse({ cannedResponse: { ...OLA, ...(req.body as object) } }),
      'DELETE /api/v1/canned-responses/cr2': () => noContent(),
    });
    renderSignedIn('/settings/canned-responses', 'MANAGER');
    await userEvent.click(await screen.findByRole('button', { name: 'Editar /ola' }));
    const dialog = await screen.findByRole('dialog');
    const content = within(dialog).getByLabelText('Texto');
    await userEvent.clear(content);
    await userEvent.type(content, 'Oi!');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salvar alterações' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/canned-responses/cr1', 'PATCH')[0]?.body).toEqual({ content: 'Oi!' });
    });

    await userEvent.click(screen.getByRole('button', { name: 'Excluir /prazo' }));
    const confirm = await screen.findByRole('alertdialog');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Excluir' }));
    await waitFor(() => {
      expect(requestsTo(fetch, '/api/v1/canned-responses/cr2', 'DELETE')).toHaveLength(1);
    });
  });

  it('keeps the row and says why when the server refuses a delete', async () => {
    api({ 'DELETE /api/v1/canned-responses/cr2': () => apiError(403, 'forbidden') });
    renderSignedIn('/settings/canned-responses', 'MANAGER');
    await userEvent.click(await screen.findByRole('button', { name: 'Excluir /prazo' }));
    const confirm = await screen.findByRole('alertdialog');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Excluir' }));
    expect(await screen.findByText('Seu papel não permite esta ação.')).toBeInTheDocument();
    expect(screen.getAllByTestId('canned-row')).toHaveLength(2);
  });

  it('is read-only for agents', async () => {
    api();
    renderSignedIn('/settings/canned-responses', 'AGENT');
    expect(await screen.findByText('/ola')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Nova resposta' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Editar /ola' })).not.toBeInTheDocument();
  });
});
