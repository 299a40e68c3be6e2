// End-to-end check of sign-in and the settings area against a running server (the real one in CI).
//   BASE_URL=http://127.0.0.1:8080 E2E_WORKSPACE=acme E2E_EMAIL=a@b.c E2E_PASSWORD=… npm run e2e
// Drives Debian's chromium through playwright-core (no browser download). Screenshots
// go to e2e/screenshots/. Last line: `e2e: N passed, M failed`; exit 1 on any failure.
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { apiLogin, createApiChannel, postInbound, startCallbackServer } from './seed.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const WORKSPACE = process.env.E2E_WORKSPACE;
const EMAIL = process.env.E2E_EMAIL;
const PASSWORD = process.env.E2E_PASSWORD;
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 10_000);

const PT = {
  workspace: 'Espaço de trabalho',
  email: 'E-mail',
  password: 'Senha',
  submit: 'Entrar',
  title: 'Entrar no Atende',
  invalid: 'Espaço de trabalho, e-mail ou senha incorretos.',
  logout: 'Sair',
  inbox: 'Caixa de entrada',
};
const EN = { workspace: 'Workspace', email: 'Email', password: 'Password', submit: 'Sign in', title: 'Sign in to Atende' };
const ST = {
  nav: 'Configurações',
  sections: 'Seções das configurações',
  users: 'Usuários',
  teams: 'Equipes',
  workspace: 'Espaço de trabalho',
  profile: 'Meu perfil',
  newUser: 'Novo usuário',
  name: 'Nome',
  email: 'E-mail',
  initialPassword: 'Senha inicial',
  role: 'Papel',
  agent: 'Agente',
  createUser: 'Criar usuário',
  required: 'Campo obrigatório.',
  emailTaken: 'Já existe um usuário com este e-mail neste espaço de trabalho.',
  cancel: 'Cancelar',
  newTeam: 'Nova equipe',
  createTeam: 'Criar equipe',
  addPerson: 'Adicionar pessoa',
  add: 'Adicionar',
  agentCannotSupervise: 'Agentes não podem supervisionar.',
  fcr: 'Janela de resolução no primeiro contato',
  save: 'Salvar alterações',
  saved: 'Configurações do espaço de trabalho salvas.',
  newToken: 'Novo token',
  createToken: 'Criar token',
  copied: 'Já copiei',
};
const IN = {
  all: 'Todas',
  composer: 'Resposta ao cliente',
  reply: 'Responder',
  note: 'Nota privada',
  noteField: 'Escreva uma nota para a equipe…',
  resolve: 'Resolver',
  resolved: 'Resolvida',
  resolvedToast: 'Conversa resolvida.',
  retry: 'Tentar novamente',
  editName: 'Editar Nome',
  back: 'Voltar para a lista',
  shortcuts: 'Atalhos de teclado',
  contacts: 'Contatos',
  contactsSearch: 'Buscar contatos',
  importCsv: 'Importar CSV',
  importSubmit: 'Importar',
  csvFile: 'Arquivo CSV',
  noChannels: 'Nenhum canal conectado ainda',
};
const PR = {
  notice: 'O que o Atende mede sobre o seu trabalho',
  noKeylogging: 'Nenhum registro das teclas digitadas (keylogging).',
  ack: 'Entendi',
  idleField: 'Tempo para considerar o agente ocioso',
  saved: 'Configurações de produtividade salvas. Já valem para quem está conectado.',
  board: 'Painel da equipe',
  dashboard: 'Painel',
};
// Unique per run, so the script also works against a server that already ran it.
const RUN = Date.now().toString(36);
const AGENT = { name: `Agente E2E ${RUN}`, email: `agente.${RUN}@e2e.atende.local`, password: `senha-${RUN}-ok` };
const TEAM = `Suporte ${RUN}`;
const DIGITS = String(Date.now() % 100_000_000).padStart(8, '0');
const MARIA = { name: `Maria E2E ${RUN}`, identifier: `e2e-${RUN}-maria`, phone: `+55119${DIGITS}` };
const JOAO = { name: `João E2E ${RUN}`, identifier: `e2e-${RUN}-joao`, phone: `+55219${DIGITS}` };
const RENAMED = `Maria Renomeada ${RUN}`;
let seq = 0;
const externalId = () => `e2e-${RUN}-${(seq += 1)}`;

const results = [];
let browser;
let page;
let userName = '';

async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  FAIL  ${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await shot(`fail-${results.length}`).catch(() => {});
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(name) {
  if (page) await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch {
    throw new Error(`expected to see ${what} at ${page.url()}`);
  }
}

/** Polls `check` until it returns true or the timeout passes. */
async function eventually(check, what) {
  const until = Date.now() + TIMEOUT;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${what} at ${page.url()}`);
}

/** Starts listening before the action so the response cannot be missed. */
async function submitAndWait(path, action) {
  const [res] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path), action()]);
  return res;
}

/** A small solid-colour PNG (for the attachment test). */
function solidPng(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function fillLogin(labels, workspace, email, password) {
  await page.getByLabel(labels.workspace, { exact: true }).fill(workspace);
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
}

async function main() {
  const missing = ['E2E_WORKSPACE', 'E2E_EMAIL', 'E2E_PASSWORD'].filter((k) => !process.env[k]);
  if (missing.length) {
    console.error(`e2e: missing env ${missing.join(', ')}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(2);
  }
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  console.log(`e2e against ${BASE_URL}`);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // A fresh profile: no saved language, no cookie.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
  context.setDefaultTimeout(TIMEOUT);
  page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (err) => consoleErrors.push(err.message));

  await test('login page shows the pt-BR labels', async () => {
    await page.goto(`${BASE_URL}/login`);
    await expectVisible(page.getByRole('heading', { name: PT.title }), `heading "${PT.title}"`);
    for (const label of [PT.workspace, PT.email, PT.password]) {
      await expectVisible(page.getByLabel(label, { exact: true }), `field "${label}"`);
    }
    await expectVisible(page.getByRole('button', { name: PT.submit, exact: true }), `button "${PT.submit}"`);
    assert((await page.getAttribute('html', 'lang')) === 'pt-BR', 'html lang is not pt-BR');
    await shot('01-login-pt-BR');
  });

  await test('a wrong password shows the inline error', async () => {
    await fillLogin(PT, WORKSPACE, EMAIL, `${PASSWORD}-wrong`);
    const res = await submitAndWait('/api/v1/auth/login', () => page.getByRole('button', { name: PT.submit, exact: true }).click());
    assert(res.status() === 401, `login with a wrong password answered ${res.status()}, expected 401`);
    await expectVisible(page.getByRole('alert').filter({ hasText: PT.invalid }), `alert "${PT.invalid}"`);
    assert(new URL(page.url()).pathname === '/login', `left /login: ${page.url()}`);
    await shot('02-login-wrong-password');
  });

  await test('the right password opens the app shell with the user name', async () => {
    await page.getByLabel(PT.password, { exact: true }).fill(PASSWORD);
    const res = await submitAndWait('/api/v1/auth/login', () => page.getByRole('button', { name: PT.submit, exact: true }).click());
    assert(res.status() === 200, `login answered ${res.status()}`);
    const body = await res.json();
    userName = body?.user?.name ?? '';
    assert(userName, 'login response has no user.name');
    await page.waitForURL((u) => u.pathname !== '/login');
    await expectVisible(page.getByTestId('user-name').filter({ hasText: userName }), `user name "${userName}"`);
    // The first-login notice (next test) may already cover the shell, hiding it from the
    // accessibility tree: find the rail by its markup.
    await expectVisible(page.locator(`nav a[href="/inbox"]`), 'left rail');
    await eventually(async () => (await page.getByTestId('connection-status').getAttribute('data-status')) === 'connected', 'the realtime connection up');
    await shot('03-app-shell');
  });

  await test('the first-login notice says what is measured and what is not; "Entendi" closes it for good', async () => {
    const notice = page.getByRole('alertdialog', { name: PR.notice });
    await expectVisible(notice, 'the first-login notice');
    await expectVisible(notice.getByText(PR.noKeylogging), 'the no-keylogging line');
    await shot('05-first-login-notice');
    const res = await submitAndWait('/api/v1/activity/notice', () => notice.getByRole('button', { name: PR.ack }).click());
    assert(res.status() === 204, `POST /activity/notice answered ${res.status()}`);
    await notice.waitFor({ state: 'hidden' });
    const me = await submitAndWait('/api/v1/activity/me', () => page.reload());
    assert((await me.json()).noticeAcknowledged === true, 'the notice is not acknowledged after a reload');
    await expectVisible(page.getByTestId('presence-header'), 'the presence header');
    assert((await notice.count()) === 0, 'the notice came back after a reload');
  });

  await test('a reload restores the session through /auth/me', async () => {
    const res = await submitAndWait('/api/v1/auth/me', () => page.reload());
    assert(res.status() === 200, `/auth/me answered ${res.status()} after reload`);
    await expectVisible(page.getByTestId('user-name').filter({ hasText: userName }), `user name "${userName}" after reload`);
    assert(new URL(page.url()).pathname !== '/login', 'reload ended on /login');
    await page.setViewportSize({ width: 390, height: 760 });
    await shot('04-app-shell-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  const settingsNav = () => page.getByRole('navigation', { name: ST.sections });

  await test('admin opens Settings → Users and sees the users table', async () => {
    await page.getByRole('navigation', { name: 'Navegação principal' }).getByRole('link', { name: ST.nav }).click();
    await page.waitForURL((u) => u.pathname === '/settings/users');
    await expectVisible(page.getByRole('heading', { name: ST.users, exact: true }), 'users heading');
    await expectVisible(page.getByRole('row').filter({ hasText: EMAIL }), `row for ${EMAIL}`);
    for (const s of [ST.users, ST.teams, ST.workspace, ST.profile]) {
      await expectVisible(settingsNav().getByRole('link', { name: s }), `settings section "${s}"`);
    }
    await shot('06-settings-users');
  });

  await test('admin creates an agent (validation first, then a duplicate email is refused inline)', async () => {
    await page.getByRole('button', { name: ST.newUser }).click();
    const dialog = page.getByRole('dialog', { name: ST.newUser });
    await expectVisible(dialog, 'create user dialog');
    await dialog.getByRole('button', { name: ST.createUser }).click();
    await expectVisible(dialog.getByText(ST.required), 'required-field errors');
    await shot('07-create-user-validation');
    await dialog.getByLabel(ST.name, { exact: true }).fill(AGENT.name);
    await dialog.getByLabel(ST.email, { exact: true }).fill(AGENT.email);
    await dialog.getByLabel(ST.initialPassword, { exact: true }).fill(AGENT.password);
    await dialog.getByLabel(ST.role, { exact: true }).selectOption({ label: ST.agent });
    const res = await submitAndWait('/api/v1/users', () => dialog.getByRole('button', { name: ST.createUser }).click());
    assert(res.status() === 201, `create user answered ${res.status()}`);
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: AGENT.email });
    await expectVisible(row, `row for ${AGENT.email}`);
    assert((await row.textContent()).includes(ST.agent), 'new row does not show the Agente badge');

    await page.getByRole('button', { name: ST.newUser }).click();
    await dialog.getByLabel(ST.name, { exact: true }).fill('Outra pessoa');
    await dialog.getByLabel(ST.email, { exact: true }).fill(AGENT.email);
    await dialog.getByLabel(ST.initialPassword, { exact: true }).fill(AGENT.password);
    const dup = await submitAndWait('/api/v1/users', () => dialog.getByRole('button', { name: ST.createUser }).click());
    assert(dup.status() === 409, `duplicate email answered ${dup.status()}, expected 409`);
    await expectVisible(dialog.getByText(ST.emailTaken), 'inline email_taken error');
    const invalid = await dialog.getByLabel(ST.email, { exact: true }).getAttribute('aria-invalid');
    assert(invalid === 'true', 'email field is not marked invalid');
    await shot('08-create-user-email-taken');
    await dialog.getByRole('button', { name: ST.cancel }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await test('admin creates a team and adds the agent (who cannot supervise)', async () => {
    await settingsNav().getByRole('link', { name: ST.teams }).click();
    await page.waitForURL((u) => u.pathname === '/settings/teams');
    await page.getByRole('button', { name: ST.newTeam }).first().click();
    const dialog = page.getByRole('dialog', { name: ST.newTeam });
    await dialog.getByLabel(ST.name, { exact: true }).fill(TEAM);
    const res = await submitAndWait('/api/v1/teams', () => dialog.getByRole('button', { name: ST.createTeam }).click());
    assert(res.status() === 201, `create team answered ${res.status()}`);
    await dialog.waitFor({ state: 'hidden' });
    await expectVisible(page.getByRole('heading', { name: TEAM }), `team panel "${TEAM}"`);

    await page.getByLabel(ST.addPerson, { exact: true }).selectOption({ label: `${AGENT.name} · ${ST.agent}` });
    const teamId = new URL(page.url()).searchParams.get('team');
    const [added] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.startsWith(`/api/v1/teams/${teamId}/members/`)),
      page.getByRole('button', { name: ST.add, exact: true }).click(),
    ]);
    assert(added.status() === 200, `add member answered ${added.status()}`);
    const member = page.getByTestId('team-member').filter({ hasText: AGENT.email });
    await expectVisible(member, 'the agent in the member list');
    const sw = member.getByRole('switch');
    assert(await sw.isDisabled(), 'the supervisor switch is enabled for an agent');
    await expectVisible(member.getByText(ST.agentCannotSupervise), 'why an agent cannot supervise');
    await expectVisible(page.getByRole('list', { name: ST.teams }).getByText('1 membro'), 'member count in the list');
    await shot('09-settings-teams');
  });

  await test('admin edits a workspace setting, only that key is sent, and it survives a reload', async () => {
    await settingsNav().getByRole('link', { name: ST.workspace }).click();
    await page.waitForURL((u) => u.pathname === '/settings/workspace');
    const field = page.getByLabel(ST.fcr, { exact: true });
    await expectVisible(field, `field "${ST.fcr}"`);
    const before = Number(await field.inputValue());
    const value = String(before === 17 ? 18 : 17);
    await field.fill(value);
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/settings'),
      page.getByRole('button', { name: ST.save }).click(),
    ]);
    const body = req.postDataJSON();
    assert(JSON.stringify(body) === JSON.stringify({ fcrWindowDays: Number(value) }), `PUT /settings sent ${JSON.stringify(body)}`);
    await expectVisible(page.getByText(ST.saved), 'saved toast');
    await shot('10-settings-workspace');
    await page.reload();
    await expectVisible(page.getByLabel(ST.fcr, { exact: true }), 'the FCR field after reload');
    await eventually(async () => (await page.getByLabel(ST.fcr, { exact: true }).inputValue()) === value, `"${ST.fcr}" = ${value} after reload`);
  });

  await test('my profile: a new API token is shown once, then only its prefix', async () => {
    await settingsNav().getByRole('link', { name: ST.profile }).click();
    await page.waitForURL((u) => u.pathname === '/settings/profile');
    await page.getByRole('button', { name: ST.newToken }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(ST.name, { exact: true }).fill(`e2e ${RUN}`);
    const res = await submitAndWait('/api/v1/auth/tokens', () => dialog.getByRole('button', { name: ST.createToken }).click());
    assert(res.status() === 201, `create token answered ${res.status()}`);
    const { token } = await res.json();
    const shown = dialog.getByTestId('new-token');
    await expectVisible(shown, 'the new token');
    assert((await shown.inputValue()) === token, 'the dialog does not show the token the server returned');
    await shot('11-profile-token-once');
    await dialog.getByRole('button', { name: ST.copied }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert(!(await page.content()).includes(token), 'the token is still in the page after closing the dialog');
    await expectVisible(page.getByTestId('api-token').filter({ hasText: `e2e ${RUN}` }), 'the token row');
    await shot('12-settings-profile');
  });

  await test('admin creates a canned response, and a taken short code is refused inline', async () => {
    await settingsNav().getByRole('link', { name: 'Respostas prontas' }).click();
    await page.waitForURL((u) => u.pathname === '/settings/canned-responses');
    const code = `e2e${RUN}`;
    const create = async () => {
      await page.getByRole('button', { name: 'Nova resposta' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Atalho', { exact: true }).fill(code);
      await dialog.getByLabel('Texto', { exact: true }).fill('Olá {{contact.name}}, tudo bem?');
      const res = await submitAndWait('/api/v1/canned-responses', () => dialog.getByRole('button', { name: 'Criar resposta' }).click());
      return { dialog, res };
    };
    const first = await create();
    assert(first.res.status() === 201, `create canned answered ${first.res.status()}`);
    await first.dialog.waitFor({ state: 'hidden' });
    await expectVisible(page.getByTestId('canned-row').filter({ hasText: `/${code}` }), 'the new canned response');
    const again = await create();
    assert(again.res.status() === 409, `a duplicate short code answered ${again.res.status()}`);
    await expectVisible(again.dialog.getByText('Já existe uma resposta pronta com este atalho.'), 'the short_code_taken error');
    await shot('13-settings-canned');
    await again.dialog.getByRole('button', { name: ST.cancel }).click();
    await again.dialog.waitFor({ state: 'hidden' });
  });

  await test('admin creates an API channel in Settings → Channels and sees the webhook URL and the secret once', async () => {
    await page.goto(`${BASE_URL}/settings/channels`);
    await expectVisible(page.getByRole('heading', { name: 'Canais', exact: true }), 'channels heading');
    await page.getByRole('button', { name: 'Novo canal' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Novo canal' });
    await expectVisible(dialog, 'create channel dialog');
    await dialog.getByRole('button', { name: 'Criar canal' }).click();
    await expectVisible(dialog.getByText(ST.required), 'required-field errors');
    await dialog.getByLabel(/^Nome/).fill(`Canal E2E ${RUN}`);
    await dialog.getByLabel(/^URL de callback/).fill('http://127.0.0.1:9/e2e-hook');
    await shot('30-settings-channel-create');
    const res = await submitAndWait('/api/v1/channels', () => dialog.getByRole('button', { name: 'Criar canal' }).click());
    assert(res.status() === 201, `create channel answered ${res.status()}`);
    const body = await res.json();
    const created = page.getByTestId('channel-created');
    await expectVisible(created, 'the created channel setup');
    const url = await created.getByTestId('channel-webhook-url').inputValue();
    assert(url === body.channel.webhookUrl, `webhook URL shown ${url}, expected ${body.channel.webhookUrl}`);
    const secret = await created.getByTestId('channel-secret').inputValue();
    assert(secret && secret === body.webhookSecret, 'the webhook secret is not shown');
    await shot('31-settings-channel-secret-once');
    const setup = page.getByRole('dialog', { name: 'Configure o provedor' });
    await setup.getByRole('button', { name: 'Concluído' }).click();
    await setup.waitFor({ state: 'hidden' });
    assert(!(await page.content()).includes(secret), 'the secret is still in the page after closing the dialog');
    await expectVisible(page.getByTestId('channel-row').filter({ hasText: `Canal E2E ${RUN}` }), 'the new channel row');
    await shot('32-settings-channels');
  });

  await test('admin saves the Asaas settings and sees the webhook URL and token', async () => {
    await settingsNav().getByRole('link', { name: 'Asaas' }).click();
    await page.waitForURL((u) => u.pathname === '/settings/asaas');
    const form = page.getByRole('form', { name: 'Asaas' });
    await expectVisible(form, 'the Asaas form');
    await form.getByLabel(/^Chave de API|^Nova chave/).fill('$aact_e2e_not_a_real_key');
    const res = await submitAndWait('/api/v1/asaas/settings', () => form.getByRole('button', { name: 'Salvar', exact: true }).click());
    assert(res.status() === 200, `PUT asaas settings answered ${res.status()}`);
    await expectVisible(page.getByText('Configurações do Asaas salvas.'), 'the saved toast');
    await expectVisible(form.getByText('Configurado', { exact: true }), 'the configured badge');
    const hook = await page.getByTestId('asaas-webhook-url').inputValue();
    assert(hook.includes('/webhooks/asaas/'), `webhook URL shown: ${hook}`);
    assert(!(await page.content()).includes('$aact_e2e_not_a_real_key'), 'the API key is still in the page');
    await shot('33-settings-asaas');
  });

  await test('the audit log shows what the admin just did, filters by action family, and downloads as CSV', async () => {
    await settingsNav().getByRole('link', { name: 'Registro de auditoria' }).click();
    await page.waitForURL((u) => u.pathname === '/settings/audit-log');
    await expectVisible(page.getByRole('heading', { name: 'Registro de auditoria', exact: true }), 'the audit log heading');
    const rows = page.getByTestId('audit-row');
    for (const action of ['Usuário criado', 'Canal criado', 'Configurações do Asaas alteradas', 'Token de API criado']) {
      await expectVisible(rows.filter({ hasText: action }).first(), `an entry "${action}"`);
    }
    assert(!(await page.content()).includes('$aact_e2e_not_a_real_key'), 'the Asaas key shows in the audit log');
    assert(!(await page.content()).includes(AGENT.password), "the agent's password shows in the audit log");
    const filtered = submitAndWait('/api/v1/audit-log', () => page.getByLabel('Ação', { exact: true }).selectOption('channel.*'));
    assert((await filtered).status() === 200, 'the filtered audit log did not load');
    await eventually(async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((t) => t.includes('channel.'));
    }, 'only channel entries after filtering');
    const href = await page.getByRole('link', { name: 'Baixar CSV' }).getAttribute('href');
    assert(href === '/api/v1/audit-log.csv?action=channel.*', `CSV link: ${href}`);
    const csv = await page.request.get(`${BASE_URL}${href}`);
    assert(csv.status() === 200, `CSV answered ${csv.status()}`);
    const text = await csv.text();
    // A UTF-8 BOM first, so Excel reads the accents.
    assert(text.startsWith('\uFEFF"created_at","action"'), `CSV header: ${text.slice(0, 80)}`);
    assert(text.includes('"channel.created"'), 'the CSV lacks the channel creation');
    await page.getByLabel('Ação', { exact: true }).selectOption('');
    await expectVisible(rows.filter({ hasText: 'Usuário criado' }).first(), 'every entry again');
    await shot('46-settings-audit-log');
  });

  await test('settings fit a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 760 });
    for (const [path, name] of [
      ['/settings/users', '13-phone-users'],
      ['/settings/teams', '14-phone-teams'],
      ['/settings/workspace', '15-phone-workspace'],
      ['/settings/profile', '16-phone-profile'],
      ['/settings/channels', '34-phone-channels'],
      ['/settings/asaas', '35-phone-asaas'],
    ]) {
      await page.goto(`${BASE_URL}${path}`);
      await expectVisible(settingsNav(), `settings nav at ${path}`);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => globalThis.document.documentElement.scrollWidth - globalThis.innerWidth);
      assert(overflow <= 0, `${path} scrolls sideways by ${overflow}px on a phone`);
      await shot(name);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  // ---------------------------------------------------------------- inbox
  const callback = await startCallbackServer();
  let channel = null;
  const messages = () => page.getByTestId('message-list');
  const bubble = (text) => messages().getByTestId('message').filter({ hasText: text });
  const row = (name) => page.getByTestId('conversation-row').filter({ hasText: name });
  const LONG = Math.max(TIMEOUT, 25_000); // webhooks are processed by a background job

  await test('inbox: a customer message posted to an API channel shows up in the list', async () => {
    const token = await apiLogin(BASE_URL, WORKSPACE, EMAIL, PASSWORD);
    channel = await createApiChannel(BASE_URL, token, `Site E2E ${RUN}`, callback.url);
    await postInbound(channel, { externalId: externalId(), ...MARIA, content: 'Olá, quero um orçamento para 3 cadeiras.' });
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await row(MARIA.name).first().waitFor({ state: 'visible', timeout: LONG });
    await expectVisible(row(MARIA.name).getByTestId('unread-badge'), 'the unread badge');
    await shot('20-inbox-list');
  });

  await test('opening the conversation shows the history and the contact panel, and marks it read', async () => {
    const [read] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/conversations\/[^/]+\/read$/.test(new URL(r.url()).pathname)),
      row(MARIA.name).getByRole('link').click(),
    ]);
    assert(read.status() === 204, `mark read answered ${read.status()}`);
    await expectVisible(page.getByTestId('conversation-title').filter({ hasText: MARIA.name }), 'the conversation header');
    await expectVisible(bubble('quero um orçamento'), 'the customer message');
    await expectVisible(page.getByTestId('contact-panel').getByTestId('contact-name').filter({ hasText: MARIA.name }), 'the contact panel');
    await eventually(async () => (await row(MARIA.name).getByTestId('unread-badge').count()) === 0, 'the unread badge gone');
  });

  await test('"Gerar cobrança" shows a clear error when Asaas cannot be reached', async () => {
    const panel = page.getByTestId('contact-panel');
    await expectVisible(panel.getByTestId('charges-section'), 'the charges section');
    await expectVisible(panel.getByText('Nenhuma cobrança para este contato ainda.'), 'the empty charges list');
    await panel.getByRole('button', { name: 'Gerar cobrança' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gerar cobrança' });
    await expectVisible(dialog, 'the charge dialog');
    await dialog.getByLabel(/^Valor/).fill('1.234,56');
    await dialog.getByLabel(/^CPF ou CNPJ/).fill('123.456.789-00');
    await dialog.getByRole('button', { name: 'Gerar cobrança' }).click();
    await expectVisible(dialog.getByText('CPF ou CNPJ inválido: confira os dígitos.'), 'the CPF check-digit error');
    await dialog.getByLabel(/^CPF ou CNPJ/).fill('123.456.789-09');
    const res = await submitAndWait('/api/v1/asaas/charges', () => dialog.getByRole('button', { name: 'Gerar cobrança' }).click());
    const sent = JSON.parse(res.request().postData() ?? '{}');
    assert(sent.value === '1234.56', `the amount was sent as ${sent.value}`);
    assert([409, 502, 503].includes(res.status()), `create charge answered ${res.status()}`);
    const alert = dialog.getByRole('alert');
    await expectVisible(alert, 'the error in the dialog');
    const text = await alert.textContent();
    assert(/Asaas/.test(text) && !/Something went wrong|Algo deu errado/.test(text), `unclear error: ${text}`);
    await shot('36-inbox-charge-error');
    await dialog.getByRole('button', { name: ST.cancel }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await test('a new customer message appears live, without a reload', async () => {
    await page.evaluate(() => {
      globalThis.__e2eSamePage = true;
    });
    await postInbound(channel, { externalId: externalId(), ...MARIA, content: 'Vocês entregam em Recife?' });
    await bubble('Vocês entregam em Recife?').waitFor({ state: 'visible', timeout: LONG });
    // A brand-new conversation also arrives in the list by itself.
    await postInbound(channel, { externalId: externalId(), ...JOAO, content: 'Meu pedido não chegou.' });
    await row(JOAO.name).first().waitFor({ state: 'visible', timeout: LONG });
    const first = await page.getByTestId('conversation-row').first().textContent();
    assert(first.includes(JOAO.name), `the newest conversation is not at the top: ${first}`);
    await expectVisible(row(JOAO.name).getByTestId('unread-badge'), 'unread badge on the new conversation');
    assert(await page.evaluate(() => globalThis.__e2eSamePage === true), 'the page was reloaded');
    await eventually(async () => /^\(\d+\) /.test(await page.title()), 'the unread count in the tab title');
  });

  await test('a reply shows pending, then turns sent when the callback answers', async () => {
    callback.delayMs = 1_500;
    const text = `Entregamos sim! (${RUN})`;
    await page.getByLabel(IN.composer, { exact: true }).fill(text);
    await page.getByLabel(IN.composer, { exact: true }).press('Enter');
    const mine = bubble(text).first();
    await expectVisible(mine, 'the reply bubble');
    assert((await mine.getAttribute('data-kind')) === 'agent', 'the reply is not an agent bubble');
    assert((await page.getByLabel(IN.composer, { exact: true }).inputValue()) === '', 'the composer was not cleared');
    await eventually(async () => (await mine.getByTestId('status-tick').getAttribute('data-status')) === 'PENDING', 'a pending tick');
    await eventually(async () => (await mine.getByTestId('status-tick').getAttribute('data-status')) === 'SENT', 'the tick turning sent');
    assert(callback.received.some((r) => r?.message?.content === text), 'the callback did not receive the reply');
    assert((await bubble(text).count()) === 1, 'the reply shows twice');
    callback.delayMs = 0;
    await shot('21-inbox-conversation');
  });

  await test('a reply the customer system refuses shows the reason, and retry sends it', async () => {
    callback.failing = true;
    const text = `Segue o orçamento (${RUN})`;
    await page.getByLabel(IN.composer, { exact: true }).fill(text);
    await page.keyboard.press('Enter');
    const mine = bubble(text).first();
    await eventually(async () => (await mine.getAttribute('data-status')) === 'FAILED', 'the reply failing');
    // The reason in the UI's language; the provider's own words behind "detalhes".
    await expectVisible(mine.getByRole('alert').filter({ hasText: 'o provedor recusou a mensagem' }), 'the translated failure reason');
    await mine.getByRole('button', { name: 'detalhes' }).click();
    await expectVisible(mine.getByRole('alert').filter({ hasText: '400' }), 'the technical detail');
    await shot('22-inbox-failed-retry');
    callback.failing = false;
    await mine.getByRole('button', { name: IN.retry }).click();
    await eventually(async () => (await mine.getAttribute('data-status')) === 'SENT', 'the retried reply sent');
  });

  await test('a private note stays inside the team', async () => {
    const before = callback.received.length;
    const text = `Cliente VIP, priorizar (${RUN})`;
    await page.getByRole('button', { name: IN.note, exact: true }).click();
    await page.getByLabel(IN.noteField, { exact: true }).fill(text);
    await page.keyboard.press('Enter');
    const note = bubble(text).first();
    await expectVisible(note, 'the note bubble');
    assert((await note.getAttribute('data-kind')) === 'note', 'the note is not shown as a private note');
    await page.waitForTimeout(500);
    assert(callback.received.length === before, 'the private note was sent to the customer system');
    await page.getByRole('button', { name: IN.reply, exact: true }).click();
  });

  await test('an attachment uploads, is sent with the reply and shows inline', async () => {
    const png = solidPng(240, 140, [13, 148, 136]);
    const [upload] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/attachments'),
      page.getByTestId('composer-file').setInputFiles({ name: `foto-${RUN}.png`, mimeType: 'image/png', buffer: png }),
    ]);
    assert(upload.status() === 201, `upload answered ${upload.status()}`);
    await expectVisible(page.getByRole('list', { name: 'Anexos' }).getByText(`foto-${RUN}.png`), 'the attachment chip');
    const text = `Foto do produto (${RUN})`;
    await page.getByLabel(IN.composer, { exact: true }).fill(text);
    await page.keyboard.press('Enter');
    const sent = bubble(text).first();
    await expectVisible(sent.getByRole('img', { name: `foto-${RUN}.png` }), 'the image inside the bubble');
    await eventually(async () => (await sent.getAttribute('data-status')) === 'SENT', 'the reply with the attachment sent');
    const delivered = callback.received.find((r) => r?.message?.content === text);
    assert(delivered?.message?.attachments?.length === 1, 'the callback did not get the attachment');
  });

  await test('the contact panel edits the name, and it persists after a reload', async () => {
    const panel = page.getByTestId('contact-panel');
    await panel.getByRole('button', { name: IN.editName }).click();
    const field = panel.getByLabel('Nome', { exact: true });
    await field.fill(RENAMED);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname.startsWith('/api/v1/contacts/')),
      field.press('Enter'),
    ]);
    assert(res.status() === 200, `PATCH contact answered ${res.status()}`);
    await expectVisible(panel.getByTestId('contact-name').filter({ hasText: RENAMED }), 'the new name in the panel');
    await expectVisible(page.getByTestId('conversation-title').filter({ hasText: RENAMED }), 'the new name in the header');
    await expectVisible(row(RENAMED), 'the new name in the list');
    await page.reload();
    await expectVisible(page.getByTestId('conversation-title').filter({ hasText: RENAMED }), 'the new name after a reload');
    await expectVisible(bubble('Vocês entregam em Recife?'), 'the history after a reload');
  });

  await test('snooze until tomorrow shows in the header, and unsnooze wakes it', async () => {
    await page.getByRole('combobox', { name: 'Adiar…' }).selectOption('tomorrow');
    await expectVisible(page.getByTestId('snoozed-until').filter({ hasText: /^Adiada até \d{2}\/\d{2} 09:00$/ }), 'the snoozed-until text');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/conversations\/[^/]+$/.test(new URL(r.url()).pathname)),
      page.getByRole('button', { name: 'Reativar agora' }).click(),
    ]);
    assert(res.status() === 200, `unsnooze answered ${res.status()}`);
    assert(JSON.parse(res.request().postData() ?? '{}').snoozedUntil === null, 'unsnooze did not send snoozedUntil: null');
    await expectVisible(page.getByRole('combobox', { name: 'Adiar…' }), 'the snooze menu again');
  });

  await test('resolving takes the conversation off the open list', async () => {
    await page.getByRole('button', { name: IN.resolve, exact: true }).click();
    await expectVisible(page.getByText(IN.resolvedToast), 'the resolved toast');
    await expectVisible(page.getByTestId('conversation-status').filter({ hasText: IN.resolved }), 'the resolved badge');
    await eventually(async () => (await row(RENAMED).count()) === 0, 'the conversation leaving the open list');
    await shot('23-inbox-resolved');
  });

  await test('keyboard: j moves through the list and ? shows the shortcuts', async () => {
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await expectVisible(row(JOAO.name), 'the list');
    await page.locator('body').press('j');
    await page.waitForURL((u) => u.pathname.startsWith('/inbox/'));
    await page.locator('body').press('?');
    await expectVisible(page.getByRole('dialog', { name: IN.shortcuts }), 'the shortcuts dialog');
    await shot('24-inbox-shortcuts');
    await page.keyboard.press('Escape');
  });

  await test('bulk: two selected conversations are assigned to the agent in one request', async () => {
    const first = { name: `Lote Um ${RUN}`, identifier: `e2e-${RUN}-lote1`, phone: `+55319${DIGITS}` };
    const second = { name: `Lote Dois ${RUN}`, identifier: `e2e-${RUN}-lote2`, phone: `+55419${DIGITS}` };
    await postInbound(channel, { externalId: externalId(), ...first, content: 'Preciso da segunda via do boleto.' });
    await postInbound(channel, { externalId: externalId(), ...second, content: 'Qual o prazo de entrega?' });
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await row(second.name).first().waitFor({ state: 'visible', timeout: LONG });
    await row(first.name).first().waitFor({ state: 'visible', timeout: LONG });
    await page.getByRole('checkbox', { name: `Selecionar conversa com ${first.name}` }).check();
    await page.getByRole('checkbox', { name: `Selecionar conversa com ${second.name}` }).check();
    const bar = page.getByRole('region', { name: 'Ações em massa' });
    await expectVisible(bar.getByText('2 selecionadas'), 'the bulk bar');
    await shot('46-inbox-bulk-bar');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/conversations/bulk'),
      bar.getByRole('combobox', { name: 'Atribuir a…' }).selectOption({ label: AGENT.name }),
    ]);
    assert(res.status() === 200, `bulk answered ${res.status()}`);
    const sent = JSON.parse(res.request().postData() ?? '{}');
    assert(sent.action?.type === 'assign' && sent.ids?.length === 2, `bulk sent ${JSON.stringify(sent)}`);
    const answer = await res.json();
    assert(answer.updated === 2 && answer.failed.length === 0, `bulk answered ${JSON.stringify(answer)}`);
    await expectVisible(page.getByText('2 conversas atualizadas.'), 'the bulk toast');
    await eventually(async () => (await bar.count()) === 0, 'the selection cleared');
    await shot('47-inbox-bulk-assigned');

    // The change is in each thread as an activity line, live and after a reload.
    await row(first.name).getByRole('link').click();
    const activity = messages().getByTestId('activity-line').filter({ hasText: `${userName} atribuiu a ${AGENT.name} · ` });
    await expectVisible(activity, 'the activity line');
    await page.getByRole('combobox', { name: 'Adiar…' }).selectOption('tomorrow');
    await expectVisible(messages().getByTestId('activity-line').filter({ hasText: /adiou até \d{2}\/\d{2} 09:00/ }), 'the snooze line, live');
    await page.getByRole('button', { name: 'Reativar agora' }).click();
    await expectVisible(messages().getByTestId('activity-line').filter({ hasText: 'reativou a conversa' }), 'the wake line, live');
    await shot('48-inbox-activity-lines');
  });

  await test('workspace settings: the admin chooses what agents see', async () => {
    await page.goto(`${BASE_URL}/settings/workspace`);
    const select = page.getByLabel('O que os agentes veem', { exact: true });
    await expectVisible(select, 'the agent visibility select');
    await select.selectOption('teams');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/settings'),
      page.getByRole('button', { name: ST.save }).click(),
    ]);
    assert(res.status() === 200, `settings answered ${res.status()}`);
    assert(JSON.parse(res.request().postData() ?? '{}').agentVisibility === 'teams', 'agentVisibility not sent');
    await select.scrollIntoViewIfNeeded();
    await shot('49-settings-agent-visibility');
    // Back to the default for the rest of the run.
    await select.selectOption('all');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/settings'),
      page.getByRole('button', { name: ST.save }).click(),
    ]);
  });

  await test('contacts: search, and a CSV import reports the row it could not take', async () => {
    await page.getByRole('navigation', { name: 'Navegação principal' }).getByRole('link', { name: IN.contacts }).click();
    await page.waitForURL((u) => u.pathname === '/contacts');
    await page.getByLabel(IN.contactsSearch).fill(RUN);
    await expectVisible(page.getByTestId('contact-row').filter({ hasText: RENAMED }), 'the renamed contact');
    await eventually(
      async () => (await page.getByTestId('contact-row').filter({ hasNotText: RUN }).count()) === 0,
      'only the matching contacts listed',
    );
    await shot('25-contacts');
    await page.getByRole('button', { name: IN.importCsv }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(IN.csvFile).setInputFiles({
      name: 'contatos.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,email,phone,lead_status\nFulano E2E ${RUN},fulano.${RUN}@e2e.atende.local,,qualified\nSem Status ${RUN},,,não-existe\n`),
    });
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/contacts/import'),
      dialog.getByRole('button', { name: IN.importSubmit, exact: true }).click(),
    ]);
    assert(res.status() === 200, `import answered ${res.status()}`);
    const report = dialog.getByTestId('import-report');
    await expectVisible(report, 'the import report');
    await expectVisible(
      report.getByRole('row').filter({ hasText: 'lead_status' }).filter({ hasText: 'Etapa desconhecida' }),
      'the failed row and column, with the problem in Portuguese',
    );
    await shot('26-contacts-import-report');
    await dialog.getByRole('button', { name: 'Fechar' }).first().click();
    await expectVisible(page.getByTestId('contact-row').filter({ hasText: `Fulano E2E ${RUN}` }), 'the imported contact');
    // The export opens right in Excel in Portuguese: a BOM, `;` between cells, stages by name.
    const exported = await page.request.get(`${BASE_URL}/api/v1/contacts/export.csv?search=${encodeURIComponent(`Fulano E2E ${RUN}`)}`);
    assert(exported.status() === 200, `export answered ${exported.status()}`);
    const bytes = await exported.body();
    assert(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the export starts with a UTF-8 BOM');
    const text = bytes.toString('utf8');
    assert(text.includes('"id";"name";"email"'), `cells separated by ; in ${text.slice(0, 120)}`);
    assert(text.includes('"Qualificado"'), 'the stage in Portuguese');
  });

  await test('global search (Ctrl+K) finds people and messages without accents and jumps to the message', async () => {
    // The people of issue 14, as WhatsApp-style profile names arrive.
    const people = [
      { identifier: `e2e-${RUN}-jp`, name: 'João Pereira', phone: `+55119${DIGITS.slice(0, 4)}0001`, content: 'Oi! Quero pagar o boleto de ação da minha assinatura.' },
      { identifier: `e2e-${RUN}-mc`, name: 'Maria Conceição', phone: `+55219${DIGITS.slice(0, 4)}0002`, content: 'Qual o prazo de entrega para Conceição do Jacuípe?' },
      { identifier: `e2e-${RUN}-es`, name: 'ÉRICA SOUZA', phone: `+55319${DIGITS.slice(0, 4)}0003`, content: 'Preciso de uma AÇÃO urgente no meu pedido.' },
    ];
    for (const person of people) {
      await postInbound(channel, { externalId: externalId(), ...person });
    }
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await expectVisible(row('ÉRICA SOUZA'), 'the seeded conversations');
    const palette = page.getByTestId('search-palette');
    const input = page.getByTestId('search-input');
    const options = palette.getByTestId('search-option');
    for (const [typed, expected] of [
      ['joao', 'João Pereira'],
      ['CONCEICAO', 'Maria Conceição'],
      ['erica', 'ÉRICA SOUZA'],
    ]) {
      await page.keyboard.press('Control+k');
      await expectVisible(palette, 'the search palette');
      await input.fill(typed);
      await expectVisible(options.filter({ hasText: expected }), `${expected} for "${typed}"`);
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'hidden' });
    }
    await page.keyboard.press('Control+k');
    // One query, three kinds: the contact, her conversation and a message naming the town.
    await input.fill('conceicao');
    await expectVisible(palette.locator('[data-kind="messages"]').filter({ hasText: 'Jacuípe' }), 'the message');
    await expectVisible(palette.locator('[data-kind="contacts"]').filter({ hasText: 'Maria Conceição' }), 'the contact');
    await shot('40-search-palette');
    await input.fill('acao');
    await expectVisible(options.filter({ hasText: 'Preciso de uma' }), 'the message with AÇÃO');
    await expectVisible(palette.getByTestId('search-hit').filter({ hasText: 'AÇÃO' }), 'the marked match');
    // Keyboard: down to the message and open it.
    const kinds = await options.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-kind')}|${el.textContent}`));
    const at = kinds.findIndex((k) => k.startsWith('messages|') && k.includes('Preciso de uma'));
    assert(at >= 0, `no message option among ${kinds.join(', ')}`);
    for (let i = 0; i < at; i += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.startsWith('/inbox/') && u.searchParams.has('message'));
    const target = new URL(page.url()).searchParams.get('message');
    await expectVisible(page.locator(`[data-message-id="${target}"]`), 'the message jumped to');
  });

  await test('messages show WhatsApp formatting and safe links', async () => {
    const person = { identifier: `e2e-${RUN}-rich`, name: 'Rita Formatada', phone: `+55819${DIGITS.slice(0, 4)}0004` };
    await postInbound(channel, {
      externalId: externalId(),
      ...person,
      content: '*Pedido 123* _pronto_ ~cancelado~ para retirada: https://loja.example/p/123. Não clique em javascript:alert(1) ```cod-9```',
    });
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await row(person.name).getByRole('link').click();
    const bubble = page.getByTestId('message').filter({ hasText: 'Pedido 123' });
    await expectVisible(bubble.locator('strong', { hasText: 'Pedido 123' }), 'bold text');
    await expectVisible(bubble.locator('em', { hasText: 'pronto' }), 'italic text');
    await expectVisible(bubble.locator('s', { hasText: 'cancelado' }), 'struck text');
    await expectVisible(bubble.locator('code', { hasText: 'cod-9' }), 'monospace text');
    const links = bubble.getByRole('link');
    assert((await links.count()) === 1, `one link, got ${await links.count()}`);
    assert((await links.first().getAttribute('href')) === 'https://loja.example/p/123', 'the link without the full stop');
    assert((await links.first().getAttribute('rel')) === 'noopener noreferrer', 'links open without the opener');
    await shot('41-rich-message');
  });

  await test('the inbox fits a phone screen: list, then conversation', async () => {
    await page.setViewportSize({ width: 390, height: 760 });
    await page.goto(`${BASE_URL}/inbox?tab=all`);
    await expectVisible(row(JOAO.name), 'the list on a phone');
    await page.waitForLoadState('networkidle');
    let overflow = await page.evaluate(() => globalThis.document.documentElement.scrollWidth - globalThis.innerWidth);
    assert(overflow <= 0, `the list scrolls sideways by ${overflow}px`);
    await shot('27-phone-inbox');
    await row(JOAO.name).getByRole('link').click();
    await expectVisible(page.getByRole('link', { name: IN.back }), 'the back button');
    await expectVisible(page.getByLabel(IN.composer, { exact: true }), 'the composer');
    overflow = await page.evaluate(() => globalThis.document.documentElement.scrollWidth - globalThis.innerWidth);
    assert(overflow <= 0, `the conversation scrolls sideways by ${overflow}px`);
    await shot('28-phone-conversation');
    await page.getByRole('button', { name: 'Mostrar ou ocultar os dados do contato' }).click();
    const sheet = page.getByRole('dialog', { name: 'Dados do contato' });
    await expectVisible(sheet.getByTestId('charges-section'), 'the charges in the contact sheet');
    await sheet.getByRole('button', { name: 'Gerar cobrança' }).click();
    const charge = page.getByRole('dialog', { name: 'Gerar cobrança' });
    await expectVisible(charge.getByLabel(/^Valor/), 'the charge dialog on a phone');
    overflow = await page.evaluate(() => globalThis.document.documentElement.scrollWidth - globalThis.innerWidth);
    assert(overflow <= 0, `the charge dialog scrolls sideways by ${overflow}px`);
    await shot('37-phone-charge-dialog');
    await page.keyboard.press('Escape');
    await charge.waitFor({ state: 'hidden' });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    await page.goto(`${BASE_URL}/contacts`);
    await expectVisible(page.getByTestId('contact-row').first(), 'contacts on a phone');
    await shot('29-phone-contacts');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  // ---------------------------------------------------------------- presence
  /** The board row's or header's presence badge, read as ACTIVE / IDLE / OFFLINE. */
  const statusOf = (scope) => scope.getByTestId('presence-status').first().getAttribute('data-status');
  /** Polls fast (not the 100 ms of `eventually`) to measure how quickly the board follows. */
  async function within(ms, check, what) {
    const started = Date.now();
    for (;;) {
      if (await check()) return Date.now() - started;
      if (Date.now() - started > ms) throw new Error(`${what} took more than ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async function setIdleTimeout(minutes) {
    await page.goto(`${BASE_URL}/settings/productivity`);
    const field = page.getByLabel(PR.idleField, { exact: true });
    await expectVisible(field, `field "${PR.idleField}"`);
    await eventually(async () => (await field.inputValue()) !== '', 'the settings loaded');
    if (Number(await field.inputValue()) === minutes) return;
    await field.fill(String(minutes));
    const res = await submitAndWait('/api/v1/settings/productivity', () => page.getByRole('button', { name: ST.save }).click());
    assert(res.status() === 200, `PUT /settings/productivity answered ${res.status()}`);
    await expectVisible(page.getByText(PR.saved), 'the productivity settings saved toast');
  }

  await test('presence: an agent goes idle, the timer pauses, the manager board shows Ocioso within a second, activity brings Ativo back', async () => {
    await setIdleTimeout(1);
    await shot('40-settings-productivity');

    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
    agentContext.setDefaultTimeout(TIMEOUT);
    try {
      const agent = await agentContext.newPage();
      agent.on('pageerror', (err) => consoleErrors.push(`agent: ${err.message}`));
      await agent.goto(`${BASE_URL}/login`);
      await agent.getByLabel(PT.workspace, { exact: true }).fill(WORKSPACE);
      await agent.getByLabel(PT.email, { exact: true }).fill(AGENT.email);
      await agent.getByLabel(PT.password, { exact: true }).fill(AGENT.password);
      await agent.getByRole('button', { name: PT.submit, exact: true }).click();
      await agent.waitForURL((u) => u.pathname !== '/login');
      const notice = agent.getByRole('alertdialog', { name: PR.notice });
      await notice.waitFor({ state: 'visible' });
      await notice.getByRole('button', { name: PR.ack }).click();
      await notice.waitFor({ state: 'hidden' });
      const header = agent.getByTestId('presence-header');
      const timer = header.getByTestId('session-timer');
      await eventually(async () => (await statusOf(header)) === 'ACTIVE', 'the agent header Ativo');
      assert((await agent.getByRole('navigation', { name: 'Navegação principal' }).getByRole('link', { name: PR.dashboard }).count()) === 0, 'an agent sees the dashboard link');

      await page.goto(`${BASE_URL}/dashboard`);
      await expectVisible(page.getByRole('heading', { name: PR.board }), 'the manager board');
      const boardRow = page.getByTestId('board-row').filter({ hasText: AGENT.name });
      await expectVisible(boardRow, `the board row of ${AGENT.name}`);
      await eventually(async () => (await statusOf(boardRow)) === 'ACTIVE', 'the agent Ativo on the board');
      await eventually(async () => (await page.getByTestId('board-live').getAttribute('data-live')) === 'true', 'the board live');

      // No input on the agent's page: after the (shortened) 1 min timeout the idle timer fires.
      const idle = await agent.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/activity/idle',
        { timeout: 100_000 },
      );
      assert(idle.status() === 200, `POST /activity/idle answered ${idle.status()}`);
      const toIdle = await within(1_000, async () => (await statusOf(boardRow)) === 'IDLE', 'the board showing Ocioso');
      console.log(`        board showed Ocioso ${toIdle} ms after the idle signal`);
      await eventually(async () => (await statusOf(header)) === 'IDLE', 'the agent header Ocioso');
      assert((await timer.getAttribute('data-running')) === 'false', 'the timer still runs while idle');
      const paused = await timer.textContent();
      await agent.waitForTimeout(2_100);
      assert((await timer.textContent()) === paused, `the timer moved while idle: ${paused} → ${await timer.textContent()}`);
      await agent.locator('header').first().screenshot({ path: `${SHOTS}41-agent-header-idle.png` });
      // The board alone: the header above it is the manager's own presence.
      await page.locator('main').screenshot({ path: `${SHOTS}42-manager-board-idle.png` });

      // Activity in the agent's page: back to Ativo, on the board too.
      const [active] = await Promise.all([
        agent.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/activity/active'),
        (async () => {
          await agent.mouse.move(300, 300);
          await agent.mouse.move(420, 360, { steps: 5 });
        })(),
      ]);
      assert(active.status() === 200, `POST /activity/active answered ${active.status()}`);
      const toActive = await within(1_000, async () => (await statusOf(boardRow)) === 'ACTIVE', 'the board showing Ativo again');
      console.log(`        board showed Ativo ${toActive} ms after the active signal`);
      await eventually(async () => (await timer.getAttribute('data-running')) === 'true', 'the timer running again');
      const resumed = Number(await timer.getAttribute('data-seconds'));
      await eventually(async () => Number(await timer.getAttribute('data-seconds')) > resumed, 'the timer counting again');
      await agent.locator('header').first().screenshot({ path: `${SHOTS}43-agent-header-active.png` });
      await page.locator('main').screenshot({ path: `${SHOTS}44-manager-board.png` });

      // A reload keeps the count (the server's numbers), it does not start from zero.
      const before = Number(await timer.getAttribute('data-seconds'));
      await agent.reload();
      await eventually(async () => Number((await agent.getByTestId('session-timer').getAttribute('data-seconds')) ?? -1) >= before, 'the timer kept across a reload');
      await agent.screenshot({ path: `${SHOTS}45-agent-inbox-with-timer.png` });
    } finally {
      await agentContext.close();
      await setIdleTimeout(10).catch(() => {});
    }
  });

  await callback.close();

  await test('logout returns to /login and the session is gone', async () => {
    const res = await submitAndWait('/api/v1/auth/logout', () => page.getByRole('button', { name: PT.logout }).click());
    assert(res.ok(), `logout answered ${res.status()}`);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto(`${BASE_URL}/inbox`);
    await page.waitForURL((u) => u.pathname === '/login');
    const next = new URL(page.url()).searchParams.get('next');
    assert(next === '/inbox', `expected ?next=/inbox after logout, got ${page.url()}`);
    await shot('17-logged-out');
  });

  await test('the language switch turns the login page English and is remembered', async () => {
    await page.getByRole('combobox').selectOption('en');
    await expectVisible(page.getByRole('heading', { name: EN.title }), `heading "${EN.title}"`);
    for (const label of [EN.workspace, EN.email, EN.password]) {
      await expectVisible(page.getByLabel(label, { exact: true }), `field "${label}"`);
    }
    await page.getByRole('button', { name: EN.submit, exact: true }).click();
    await shot('18-login-en-validation');
    await page.reload();
    await expectVisible(page.getByRole('heading', { name: EN.title }), 'English kept after reload');
  });

  if (consoleErrors.length) console.log(`  note: page errors: ${consoleErrors.slice(0, 3).join(' | ')}`);
  await context.close();
}

let fatal = null;
try {
  await main();
} catch (err) {
  fatal = err;
  console.error(`e2e: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await browser?.close().catch(() => {});
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
