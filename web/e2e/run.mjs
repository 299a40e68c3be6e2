// End-to-end check of sign-in and the settings area against a running server (the real one in CI).
//   BASE_URL=http://127.0.0.1:8080 E2E_WORKSPACE=acme E2E_EMAIL=a@b.c E2E_PASSWORD=… npm run e2e
// Drives Debian's chromium through playwright-core (no browser download). Screenshots
// go to e2e/screenshots/. Last line: `e2e: N passed, M failed`; exit 1 on any failure.
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
  idle: 'Tempo até ficar ocioso',
  save: 'Salvar alterações',
  saved: 'Configurações do espaço de trabalho salvas.',
  newToken: 'Novo token',
  createToken: 'Criar token',
  copied: 'Já copiei',
};
// Unique per run, so the script also works against a server that already ran it.
const RUN = Date.now().toString(36);
const AGENT = { name: `Agente E2E ${RUN}`, email: `agente.${RUN}@e2e.atende.local`, password: `senha-${RUN}-ok` };
const TEAM = `Suporte ${RUN}`;

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
    await expectVisible(page.getByRole('navigation').getByRole('link', { name: PT.inbox }), 'left rail');
    await shot('03-app-shell');
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
    const field = page.getByLabel(ST.idle, { exact: true });
    await expectVisible(field, `field "${ST.idle}"`);
    const before = Number(await field.inputValue());
    const value = String(before === 17 ? 18 : 17);
    await field.fill(value);
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/settings'),
      page.getByRole('button', { name: ST.save }).click(),
    ]);
    const body = req.postDataJSON();
    assert(JSON.stringify(body) === JSON.stringify({ idleTimeoutMinutes: Number(value) }), `PUT /settings sent ${JSON.stringify(body)}`);
    await expectVisible(page.getByText(ST.saved), 'saved toast');
    await shot('10-settings-workspace');
    await page.reload();
    await expectVisible(page.getByLabel(ST.idle, { exact: true }), 'idle field after reload');
    await eventually(async () => (await page.getByLabel(ST.idle, { exact: true }).inputValue()) === value, `"${ST.idle}" = ${value} after reload`);
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

  await test('settings fit a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 760 });
    for (const [path, name] of [
      ['/settings/users', '13-phone-users'],
      ['/settings/teams', '14-phone-teams'],
      ['/settings/workspace', '15-phone-workspace'],
      ['/settings/profile', '16-phone-profile'],
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
