import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, userEnv } from '../support/process.js';
import { copyService, expectSuccess, install, withServer } from '../support/service.js';

// Debian's Chromium (.ci/run installs it where it can); playwright-core downloads no browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found: skipping the /docs browser test`;
if (skip !== undefined) console.warn(skip);

// A name that is not localhost, as a container's or a LAN address is: a browser treats a
// page from it over plain HTTP as insecure, which is where /docs used to go blank.
const HOST_NAME = 'api.internal';

const base = inject('baseService');
let service: string;
let browser: Browser;

const plopIn = (dir: string, args: string[]) => run('npx', ['plop', ...args], { cwd: dir, env: userEnv() });

beforeAll(async () => {
  if (skip !== undefined) return;
  service = await copyService(base.dir, 'docs-under-test');
  expectSuccess(
    await run('npx', ['plop', 'route', 'posts', 'title:string:unique published:boolean=false'], {
      cwd: service,
      env: userEnv(),
    }),
    'plop route posts',
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium's own background traffic would be refused by this machine's closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`,
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(skip !== undefined)('/docs in headless Chromium', () => {
  it('renders over plain HTTP on a host other than localhost, calls the API from "Try it out", and runs no injected script', async () => {
    await withServer(service, {}, async (url) => {
      // The same server, reached by a name that is not localhost.
      const origin = url.replace('127.0.0.1', HOST_NAME);
      const page = await browser.newPage();
      const failed: string[] = [];
      const refused: string[] = [];
      const insecure: string[] = [];
      page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
      page.on('pageerror', (error) => failed.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
      });
      page.on('request', (request) => {
        if (!request.url().startsWith(`${origin}/`)) insecure.push(request.url());
      });

      const response = await page.goto(`${origin}/docs`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      await page.waitForSelector('#operations-posts-listPosts', { timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBe(7);
      expect(await page.locator('.info .title').textContent()).toContain('orders-service');

      // "Try it out" on listPosts: the request goes to the document's server, the page's own origin.
      await page.click('#operations-posts-listPosts .opblock-summary');
      await page.click('#operations-posts-listPosts .try-out__btn');
      await page.click('#operations-posts-listPosts .execute');
      const status = page
        .locator('#operations-posts-listPosts .live-responses-table tr.response .response-col_status')
        .first();
      await status.waitFor({ timeout: 30_000 });
      expect((await status.textContent())?.trim()).toBe('200');

      const screenshot = join(service, 'docs.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);

      // Locked down: the policy refuses a script the page did not ship.
      await expect(page.addScriptTag({ content: 'window.injected = true;' })).rejects.toThrow();
      expect(await page.evaluate(() => (globalThis as { injected?: boolean }).injected)).toBeUndefined();
      const policy = response?.headers()['content-security-policy'] ?? '';
      expect(policy).toMatch(/script-src 'self'/);
      expect(policy).not.toMatch(/upgrade-insecure-requests/);

      expect(failed).toEqual([]);
      expect(insecure).toEqual([]);
      // The injected script's refusal is the only one.
      expect(refused.filter((text) => !/inline script/i.test(text))).toEqual([]);
    });
  });

  it('"Authorize" takes an access token, and "Try it out" on a protected operation sends it', async () => {
    const secured = await copyService(base.dir, 'docs-with-auth');
    expectSuccess(await plopIn(secured, ['auth']), 'plop auth');
    expectSuccess(await plopIn(secured, ['route', 'notes', 'text:string']), 'plop route notes');
    await install(secured);
    await withServer(secured, {}, async (url) => {
      const credentials = { email: 'docs@example.com', password: 'a docs passphrase' };
      const post = (path: string) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(credentials),
        });
      expect((await post('/auth/register')).status).toBe(201);
      const { accessToken } = (await (await post('/auth/login')).json()) as { accessToken: string };

      const page = await browser.newPage();
      await page.goto(`${url.replace('127.0.0.1', HOST_NAME)}/docs`, { waitUntil: 'networkidle' });
      const operation = '#operations-notes-listNotes';
      await page.waitForSelector(operation, { timeout: 30_000 });
      // The answer to this click, not the table the previous click left on the page.
      const tryIt = async () => {
        const [response] = await Promise.all([
          page.waitForResponse((answer) => new URL(answer.url()).pathname === '/notes', { timeout: 30_000 }),
          page.click(`${operation} .execute`),
        ]);
        return { status: response.status(), authorization: await response.request().headerValue('authorization') };
      };
      await page.click(`${operation} .opblock-summary`);
      await page.click(`${operation} .try-out__btn`);
      expect(await tryIt()).toEqual({ status: 401, authorization: null });

      await page.click('.scheme-container button.authorize');
      await page.fill('.auth-container input', accessToken);
      await page.click('.auth-btn-wrapper button.authorize');
      await page.click('.auth-btn-wrapper button.btn-done');
      expect(await tryIt()).toEqual({ status: 200, authorization: `Bearer ${accessToken}` });
    });
  });
});
