/**
 * The whole review flow in real Chromium (Debian's, via playwright-core): a vendor
 * logs in, adds a product with a hostile name, submits a signed report with hostile
 * content (defcore submit) and asks for review; a reviewer approves it from the
 * queue; the public product list, product page and badge show the certification.
 * Hostile strings render as text and run nothing; nothing loads from elsewhere.
 * CI: apt-get install -y chromium, and DEFCORE_REQUIRE_BROWSER=1 so a missing browser fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { HOSTILE } from '../report/support.js';
import { ADMIN, ENGINE, dbOrSkip, makeVendor, signedReport, startServer, uniq, type TestServer, type TestVendor } from './support.js';

const CHROMIUM = process.env['DEFCORE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe(`serve in headless chromium: submit, review, certify (${ENGINE} database)`, function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let s: TestServer;
  let v: TestVendor;
  const blocked: string[] = [];
  const errors: string[] = [];
  const productName = uniq(`Cloud ${HOSTILE}`);

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    // only the server itself may be reached
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${s.base}/`)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { context, page };
  }

  async function login(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${s.base}/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
  }

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env['DEFCORE_REQUIRE_BROWSER']) throw new Error(`${CHROMIUM} not found and DEFCORE_REQUIRE_BROWSER is set (apt-get install -y chromium)`);
      console.log(`    skipped: ${CHROMIUM} not found (apt-get install -y chromium; set DEFCORE_REQUIRE_BROWSER=1 to make this a failure)`);
      this.skip();
    }
    await dbOrSkip(this);
    s = await startServer();
    v = await makeVendor(s.base);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('vendor → reviewer → public: the badge turns green; hostile names and report content stay text', async () => {
    // the vendor adds a product in the browser
    const vend = await newPage();
    await login(vend.page, v.email, v.password);
    assert.equal(new URL(vend.page.url()).pathname, '/vendor');
    await vend.page.fill('#new-product input[name=name]', productName);
    await vend.page.selectOption('#new-product select[name=type]', 'public-cloud');
    await Promise.all([vend.page.waitForNavigation(), vend.page.click('#new-product button')]);
    const productPath = new URL(vend.page.url()).pathname;
    assert.match(productPath, /^\/products\/\d+$/);
    assert.equal(await vend.page.locator('h1').textContent(), productName);

    // submits a signed report (hostile cloud name) with defcore submit, as CI would
    const r = await signedReport(v.keyFile, { over: { cloud: { name: `dev${HOSTILE}`, authUrl: 'http://127.0.0.1:5000/v3', services: {} } } });
    const tokenFile = path.join(v.dir, 'token');
    await writeFile(tokenFile, v.api.token!, { mode: 0o600 });
    const run = await runCli(['submit', r.file, '--server', s.base, '--token-file', tokenFile]);
    assert.equal(run.code, 0, run.stderr);
    const subId = /#(\d+)/.exec(run.stdout)![1]!;

    // asks for review of it, for that product
    await vend.page.goto(`${s.base}/vendor`);
    const row = vend.page.locator('#my-submissions tr', { has: vend.page.locator(`a[href="/submissions/${subId}"]`) });
    await row.locator('select[name=product]').selectOption({ label: productName });
    await Promise.all([vend.page.waitForNavigation(), row.locator('button').click()]);
    assert.equal(await vend.page.locator('#my-submissions tr', { has: vend.page.locator(`a[href="/submissions/${subId}"]`) }).locator('td.pending').count(), 1);

    // the report page: hostile cloud name shown as text, nothing ran
    await vend.page.goto(`${s.base}/submissions/${subId}`);
    assert.equal(await vend.page.locator('#verdict').textContent(), 'PASS');
    assert.ok(((await vend.page.title()) ?? '').includes('<script>window.__pwned=1</script>'));
    assert.equal(await vend.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

    // a reviewer approves from the queue
    const rev = await newPage();
    await login(rev.page, ADMIN.email, ADMIN.password);
    assert.equal(new URL(rev.page.url()).pathname, '/review');
    const qrow = rev.page.locator(`#queue tr[data-submission="${subId}"]`);
    assert.equal(await qrow.locator('td').nth(2).textContent(), productName);
    await qrow.locator('form.approve input[name=comment]').fill('verified in the browser');
    await Promise.all([rev.page.waitForNavigation(), qrow.locator('form.approve button').click()]);
    assert.equal(new URL(rev.page.url()).pathname, productPath);

    // the public sees the certification and a green badge
    const pub = await newPage();
    await pub.page.goto(`${s.base}/`);
    const prow = pub.page.locator('#products tr', { has: pub.page.locator(`a[href="${productPath}"]`) });
    assert.equal(await prow.locator('a').textContent(), productName);
    assert.match((await prow.locator('td.certified').textContent()) ?? '', /certified \(2099\.01\)/);
    await pub.page.goto(`${s.base}${productPath}`);
    assert.equal(await pub.page.locator('#certifications td.certified').count(), 1);
    const badge = pub.page.locator('img[alt="object status"]');
    await badge.waitFor();
    assert.ok(await badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the badge image loaded');
    // the page's CSP allows no fetch from script: ask through the browser context
    const svg = await (await pub.context.request.get(`${s.base}/badge/${productPath.split('/')[2]}/object.svg`)).text();
    assert.match(svg, /certified 2099\.01/);
    assert.match(svg, /#2e7d32/);
    for (const p of [vend.page, rev.page, pub.page]) {
      assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await p.locator('img[src=x]').count(), 0);
    }
    assert.deepEqual(blocked, []);
    assert.deepEqual(errors, []);
  });
});
