/**
 * The HTML report in a real headless browser (Debian's chromium via playwright-core):
 * verdict visible, failures expand to evidence, filters work, hostile cloud output
 * stays text, and nothing is fetched beyond the file itself.
 * CI: apt-get install -y chromium, and DEFCORE_REQUIRE_BROWSER=1 so a missing browser fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/render/html.js';
import { buildReport } from '../../src/report/build.js';
import { HOSTILE, tempDir, tinyInput, tinyLoaded, tinyResults } from './support.js';

const CHROMIUM = process.env['DEFCORE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('HTML report in headless chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let page: Page;
  let fileUrl: string;
  const requests: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env['DEFCORE_REQUIRE_BROWSER']) throw new Error(`${CHROMIUM} not found and DEFCORE_REQUIRE_BROWSER is set (apt-get install -y chromium)`);
      console.log(`    skipped: ${CHROMIUM} not found (apt-get install -y chromium; set DEFCORE_REQUIRE_BROWSER=1 to make this a failure)`);
      this.skip();
    }
    const loaded = await tinyLoaded();
    const results = tinyResults({ twoFails: true, hostile: true });
    const report = buildReport(tinyInput(loaded, results, { cloud: { name: `dev${HOSTILE}`, authUrl: 'http://127.0.0.1:5000/v3', services: {} } }));
    const dir = await tempDir('defcore-html-');
    const file = path.join(dir, 'report.html');
    await writeFile(file, renderHtml(report));
    fileUrl = pathToFileURL(file).href;

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const context = await browser.newContext({ javaScriptEnabled: true });
    // every request goes through here: only the report file itself may load
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === fileUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(fileUrl, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the verdict at the top', async () => {
    const verdict = page.locator('#verdict');
    assert.equal(await verdict.isVisible(), true);
    assert.equal(await verdict.textContent(), 'FAIL');
    const box = await verdict.boundingBox();
    assert.ok(box && box.y < 200, `verdict at y=${box?.y}`);
    assert.match((await page.locator('header .explain').textContent()) ?? '', /1 of 2 required capabilities failed/);
  });

  it('hostile cloud output is shown as text and runs nothing', async () => {
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 1);
    assert.match((await page.locator('header h1').textContent()) ?? '', /program object/);
    assert.ok(((await page.title()) ?? '').includes('<script>window.__pwned=1</script>'));
  });

  it('a failed capability is open and its failure expands to the evidence', async () => {
    const cap = page.locator('#cap-objectstore-b');
    assert.equal(await cap.getAttribute('open'), ''); // opened by the report's own script: it ran under the CSP
    const evidence = cap.locator('details.evidence');
    const pre = evidence.locator('.exchange pre').nth(1);
    assert.equal(await pre.isVisible(), false);
    await evidence.locator('summary').click();
    assert.equal(await pre.isVisible(), true);
    const text = (await pre.textContent()) ?? '';
    assert.ok(text.includes('<html><script>window.__pwned=1</script>'), text);
    assert.ok(text.includes('x-evil: <script>'), text);
    assert.ok(!((await evidence.textContent()) ?? '').includes('gAAAAA-should-never-appear'));
    assert.match((await cap.locator('.reason').textContent()) ?? '', /expected 200, got 500: <script>/);
  });

  it('filters hide passed, failed and flagged entries', async () => {
    const passedCap = page.locator('#cap-objectstore-a');
    const failedCap = page.locator('#cap-objectstore-b');
    await passedCap.locator('summary').click(); // open it to see its rows
    const flaggedRow = passedCap.locator('tr.test[data-flagged="yes"]');
    assert.equal(await flaggedRow.isVisible(), true);

    await page.locator('#filter-fail').uncheck();
    assert.equal(await failedCap.isVisible(), false);
    assert.equal(await passedCap.isVisible(), true);
    assert.equal(await page.locator('#group-advisory').isVisible(), false, 'a group with nothing to show is hidden');

    await page.locator('#filter-flagged').uncheck();
    assert.equal(await flaggedRow.isVisible(), false);
    assert.equal(await passedCap.locator('tr.test[data-flagged="no"]').isVisible(), true);

    await page.locator('#filter-pass').uncheck();
    assert.equal(await passedCap.isVisible(), false);
    assert.equal(await page.locator('#empty').isVisible(), true);

    await page.locator('#filter-fail').check();
    await page.locator('#filter-pass').check();
    await page.locator('#filter-flagged').check();
    assert.equal(await failedCap.isVisible(), true);
    assert.equal(await flaggedRow.isVisible(), true);
    assert.equal(await page.locator('#empty').isVisible(), false);
  });

  it('fetched nothing but the file itself, and no script or CSP error occurred', () => {
    assert.deepEqual(blocked, []);
    assert.deepEqual([...new Set(requests)], [fileUrl]);
    assert.deepEqual(consoleErrors, []);
  });
});
