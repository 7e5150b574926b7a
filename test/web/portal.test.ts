/**
 * The portal in a real browser against a real `quarry serve --demo`: the seed scenario end to end
 * (log in → Intel explorer `dancevida.com` → Host pairs → Download CSV → Upload & get SAS URL → MDTI query
 * in Advanced hunting → rows → Create detection rule → Run now → incident), and the hunting grid with
 * 30,000 rows (scroll, sort) measured in the browser. Screenshots: test-results/portal/*.png.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, collectErrors, launchBrowser, login, resultsDir, setEditorText, sharedDir, shot, startDemoServer, type DemoServer } from './browser.js';

const skip = browserSkipReason();
if (skip) console.warn(`[portal browser tests] skipped: ${skip}`);
const mdtiFile = join(sharedDir, 'acceptance/mdti-queries.kql');
const noShared = !existsSync(mdtiFile);
if (noShared) console.warn(`[portal browser tests] seed scenario skipped: ${mdtiFile} is absent`);

/** The first MDTI sample query, `#` lines stripped (they are not KQL), with the SAS URL put in. */
function mdtiQuery(sasUrl: string): string {
  const text = readFileSync(mdtiFile, 'utf8');
  const first = text.split(/^\/\/ BEGIN .*$/m)[1]!.split(/^\/\/ END .*$/m)[0]!;
  const body = first.split('\n').filter((l) => !/^\s*#/.test(l) && !/^\/\/ =+$/.test(l.trim())).join('\n').trim();
  expect(body).toContain('Replace-with-your-Storage-Generated-SAS-URL-Token');
  return body.replace('Replace-with-your-Storage-Generated-SAS-URL-Token', sasUrl);
}

describe.skipIf(!!skip)('web portal in Chromium', () => {
  let server: DemoServer;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    // Own-storage SAS URLs are loopback URLs here; the hunting route's SSRF guard refuses loopback unless
    // the operator allows it (docs/storage.md). See docs/portal.md "Known gaps".
    [server, { context, userDataDir }] = await Promise.all([startDemoServer(), launchBrowser()]);
    page = context.pages()[0] ?? (await context.newPage());
    errors = collectErrors(page);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it.skipIf(noShared)('walks the seed scenario: explorer → CSV → SAS → MDTI hunt → rule → incident', async () => {
    // 1. Log in.
    await page.goto(server.url + '/');
    await page.getByLabel('User name').waitFor();
    await shot(page, '01-login');
    await login(page, server);
    await shot(page, '02-threat-analytics');

    // 2. Search the planted host in Intel explorer.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intel explorer' }).click();
    await page.getByTestId('explorer-search').fill('dancevida.com');
    await page.keyboard.press('Enter');
    await page.getByTestId('artifact-title').filter({ hasText: 'dancevida.com' }).waitFor();
    await page.getByTestId('reputation').waitFor();
    expect(await page.getByTestId('reputation').textContent()).toMatch(/malicious/i);
    await shot(page, '03-explorer-dancevida');

    // 3. Host pairs.
    await page.getByRole('tab', { name: 'Host pairs' }).click();
    const grid = page.getByTestId('dataset-hostPairs').getByTestId('results-grid');
    await grid.getByRole('row').nth(1).waitFor();
    expect(await grid.textContent()).toContain('login.dancevida.com');
    await shot(page, '04-host-pairs');

    // 4. Download the CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    mkdirSync(resultsDir, { recursive: true });
    const csvPath = join(resultsDir, 'dancevida.com-hostPairs.csv');
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags');
    expect(csv).toContain('dancevida.com,login.dancevida.com');

    // 5. Upload it and mint a SAS URL; the signed URL serves exactly the CSV we downloaded.
    await page.getByTestId('upload-sas').click();
    const sasUrl = (await page.getByTestId('sas-url').textContent({ timeout: 15_000 }))!.trim();
    expect(sasUrl).toMatch(/\/storage\/[^?]+\.csv\?.*sig=/);
    const served = await fetch(sasUrl);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(csv);
    await shot(page, '05-sas-url');

    // 6. Run the MDTI query with that URL in Advanced hunting.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Advanced hunting' }).click();
    await setEditorText(page, mdtiQuery(sasUrl));
    await page.getByTestId('run-query').click();
    await Promise.race([
      page.getByTestId('query-stats').waitFor({ timeout: 60_000 }),
      page.getByTestId('query-error').waitFor({ timeout: 60_000 }).then(async () => {
        throw new Error(`the MDTI query failed in the portal: ${await page.getByTestId('query-error').textContent()}`);
      }),
    ]);
    const rowsText = await page.getByTestId('row-count').textContent();
    const rows = Number(rowsText!.replace(/[^0-9]/g, ''));
    expect(rows, 'matching EmailUrlInfo / UrlClickEvents rows').toBeGreaterThan(0);
    const resultText = await page.getByTestId('results-grid').textContent();
    expect(resultText).toMatch(/dancevida\.com/);
    await shot(page, '06-hunting-mdti-results');

    // 7. Create a detection rule from it.
    await page.getByTestId('create-rule').click();
    await page.getByTestId('rule-name').fill('MDTI dancevida host pairs in mail and clicks');
    await page.getByTestId('rule-entity-column').selectOption('parentHostName');
    await shot(page, '07-create-rule');
    await page.getByTestId('save-rule').click();
    await page.waitForURL(/\/rules\/custom-/, { timeout: 15_000 });
    await page.getByTestId('run-rule').waitFor();
    await shot(page, '08-rule');

    // 8. Trigger it.
    await page.getByTestId('run-rule').click();
    const runResult = page.getByTestId('run-result');
    await runResult.waitFor({ timeout: 60_000 });
    await shot(page, '09-rule-run');
    const runText = (await runResult.textContent()) ?? '';
    expect(runText, `the rule run must succeed and raise alerts (POST /api/rules/{id}/run answered: ${runText})`).toMatch(/Run succeeded: \d+ rows, [1-9]\d* alerts/);

    // 9. Open the incident.
    await runResult.getByRole('link', { name: 'Open incidents' }).click();
    const list = page.getByTestId('incident-list');
    await list.waitFor();
    await list.getByRole('link').first().click();
    await page.getByTestId('incident-title').waitFor();
    expect(await page.getByTestId('incident-alerts').textContent()).toContain('MDTI dancevida host pairs');
    await shot(page, '10-incident');
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows 30,000 hunting rows and stays responsive (scroll, sort)', async () => {
    if (!page.url().startsWith(server.url) || (await page.getByTestId('signed-in-as').count()) === 0) await login(page, server);
    // First load of the hunting page, from navigation start to an editor ready to type in.
    const t0 = Date.now();
    await page.goto(server.url + '/hunting');
    await page.locator('[data-testid="kql-editor"][data-state="ready"]').waitFor({ timeout: 30_000 });
    const firstLoadMs = Date.now() - t0;

    await setEditorText(page, 'range i from 1 to 30000 step 1\n| extend Name = strcat("row-", i), At = datetime(2024-01-01) + i * 1m, Bucket = i % 97, Host = strcat("host-", i % 500, ".example.com")');
    const runStart = Date.now();
    await page.getByTestId('run-query').click();
    await page.getByTestId('row-count').filter({ hasText: '30,000 rows' }).waitFor({ timeout: 60_000 });
    const runToGridMs = Date.now() - runStart;
    await shot(page, '11-hunting-30000-rows');

    const metrics = await page.evaluate(async () => {
      const scroller = document.querySelector('[data-testid="grid-scroll"]') as HTMLElement;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame((t) => r(t))));
      const domRows = () => scroller.querySelectorAll('[role="row"][aria-rowindex]').length;
      // Scroll through the whole result in 40 jumps, timing each until painted.
      const steps: number[] = [];
      const max = scroller.scrollHeight - scroller.clientHeight;
      for (let k = 1; k <= 40; k++) {
        const s = performance.now();
        scroller.scrollTop = (max * k) / 40;
        scroller.dispatchEvent(new Event('scroll'));
        await frame();
        steps.push(performance.now() - s);
      }
      const lastIndex = Number(scroller.querySelector('[role="row"][aria-rowindex]:last-child')?.getAttribute('aria-rowindex'));
      const rowsInDom = domRows();
      // Sort by Bucket (numeric), descending on second click; time until painted.
      const header = [...document.querySelectorAll('[role="columnheader"]')].find((h) => h.textContent?.startsWith('Bucket')) as HTMLElement;
      scroller.scrollTop = 0;
      const s1 = performance.now();
      header.click();
      await frame();
      const sortAscMs = performance.now() - s1;
      const s2 = performance.now();
      header.click();
      await frame();
      const sortDescMs = performance.now() - s2;
      const firstCell = scroller.querySelector('[role="row"][aria-rowindex="1"] [role="gridcell"]:nth-child(4)')?.textContent;
      steps.sort((a, b) => a - b);
      return { scrollMedianMs: steps[20]!, scrollMaxMs: steps[39]!, lastIndex, rowsInDom, sortAscMs, sortDescMs, firstCell, sortState: header.getAttribute('aria-sort') };
    });
    await shot(page, '12-hunting-sorted');
    const figures = { firstLoadMs, runToGridMs, ...metrics };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'hunting-30000-rows.json'), JSON.stringify(figures, null, 2));
    console.log('[portal] hunting with 30,000 rows:', JSON.stringify(figures));

    expect(metrics.lastIndex, 'scrolled to the last row').toBe(30_000);
    expect(metrics.rowsInDom, 'the grid is virtualised').toBeLessThan(150);
    expect(metrics.sortState).toBe('descending');
    expect(metrics.firstCell, 'sorted by Bucket descending').toBe('96');
    // Responsive on a 2-core CI machine: generous bounds, the figures are reported above.
    expect(metrics.scrollMedianMs).toBeLessThan(250);
    expect(Math.max(metrics.sortAscMs, metrics.sortDescMs)).toBeLessThan(5_000);
    expect(firstLoadMs).toBeLessThan(10_000);
  }, 180_000);

  it('shows errors at their line and column, and renders charts', async () => {
    if ((await page.getByTestId('signed-in-as').count()) === 0) await login(page, server);
    if (!page.url().endsWith('/hunting')) await page.goto(server.url + '/hunting');
    await setEditorText(page, 'DeviceNetworkEvents\n| where NoSuchColumn == 1');
    await page.getByTestId('run-query').click();
    const err = page.getByTestId('query-error');
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toMatch(/Line 2, column 9.*NoSuchColumn/s);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
    await shot(page, '13-hunting-error');

    await setEditorText(page, 'DeviceNetworkEvents\n| summarize Connections = count() by ActionType\n| render piechart');
    await page.getByTestId('run-query').click();
    await page.locator('[data-testid="chart"][data-kind="piechart"] path').first().waitFor({ timeout: 30_000 });
    await setEditorText(page, 'DeviceNetworkEvents\n| summarize Connections = count() by bin(Timestamp, 1h)\n| render timechart');
    await page.getByTestId('run-query').click();
    await page.locator('[data-testid="chart"][data-kind="timechart"] polyline').first().waitFor({ timeout: 30_000 });
    await shot(page, '14-hunting-timechart');

    // Leaving the page while the Kusto worker's debounced validation is pending must not throw inside
    // monaco-kusto (it looks the model up again when the answer arrives), and coming back keeps working.
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (let k = 0; k < 3; k++) {
      await setEditorText(page, `DeviceNetworkEvents\n| where RemotePort == ${k}\n| take 1`);
      await nav.getByRole('link', { name: 'Incidents & alerts' }).click();
      await page.waitForURL(/\/incidents/);
      await page.waitForTimeout(1_500);
      await nav.getByRole('link', { name: 'Advanced hunting' }).click();
      await page.locator('[data-testid="kql-editor"][data-state="ready"]').waitFor({ timeout: 30_000 });
    }
    await setEditorText(page, 'DeviceNetworkEvents\n| summarize n = count()');
    await page.getByTestId('run-query').click();
    await page.getByTestId('row-count').filter({ hasText: '1 row' }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  }, 120_000);
});
