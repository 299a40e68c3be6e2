// End-to-end check of sign-in against a running server (the real one in CI).
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

  await test('logout returns to /login and the session is gone', async () => {
    const res = await submitAndWait('/api/v1/auth/logout', () => page.getByRole('button', { name: PT.logout }).click());
    assert(res.ok(), `logout answered ${res.status()}`);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto(`${BASE_URL}/inbox`);
    await page.waitForURL((u) => u.pathname === '/login');
    const next = new URL(page.url()).searchParams.get('next');
    assert(next === '/inbox', `expected ?next=/inbox after logout, got ${page.url()}`);
    await shot('05-logged-out');
  });

  await test('the language switch turns the login page English and is remembered', async () => {
    await page.getByRole('combobox').selectOption('en');
    await expectVisible(page.getByRole('heading', { name: EN.title }), `heading "${EN.title}"`);
    for (const label of [EN.workspace, EN.email, EN.password]) {
      await expectVisible(page.getByLabel(label, { exact: true }), `field "${label}"`);
    }
    await page.getByRole('button', { name: EN.submit, exact: true }).click();
    await shot('06-login-en-validation');
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
