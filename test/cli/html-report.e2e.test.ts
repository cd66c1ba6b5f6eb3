/**
 * The HTML report in a real browser (Debian's Chromium, headless): reports of real runs — every
 * mode, a scenario with routes, an engine with skipped cells, and a --target with cells not
 * served and inconclusive — load from file://, render their grids and verdict, log no console
 * error and make no request but the page itself, with JavaScript on and off. A report of
 * hostile names runs nothing and loads nothing. The runs are as small as what each page must
 * show allows; the built binary writes the page to stdout in the last test.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { renderHtml } from '../../src/report/html/index.js';
import { chromiumMissing, launchChromium } from '../helpers/chromium.mjs';
import { mtlsLab, runMain } from '../helpers/cli.js';
import { HOSTILE_NAME, hostileResult } from '../helpers/hostile-result.js';

const missing = await chromiumMissing();
if (missing) console.log(`Skipping the HTML report browser test: ${missing}.`);

interface JsonReport {
  summary: { cells: number; inconclusive: number; skipped: number; not_served: number; identities: string[] };
  cells: { verdict: string | null; inconclusive_why: string | null }[];
}

/** One run's HTML report and, for comparison, its JSON report. */
interface Run {
  html: string;
  json: JsonReport;
  exitCode: number | undefined;
}

let dir: string;
/** One PKI for the file's runs (a scenario names its own). */
let pkiDir: string;
let target: Server | undefined;
let hostilePage: string;
/** One browser for the file, closed in afterAll whatever happened. */
let browser: Browser | undefined;
const runs = new Map<string, Run>();

/** A real run (main() in this process), writing an HTML and a JSON report of itself. */
async function run(name: string, args: string[]): Promise<void> {
  const html = join(dir, `${name}.html`);
  const json = join(dir, `${name}.json`);
  const result = await runMain(['matrix', ...args, '--report', `html=${html}`, '--report', `json=${json}`]);
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`${name}: ${result.stderr}`);
  runs.set(name, {
    html,
    json: JSON.parse(await readFile(json, 'utf8')) as JsonReport,
    exitCode: result.exitCode,
  });
}

/**
 * A server of the user's that serves HTTP/1.1 only (so h2 and gRPC are not served), asks for a
 * certificate without verifying it, and answers 503 to the expired identity (inconclusive).
 */
async function startTarget(pki: PkiMaterial): Promise<string> {
  const server = createServer(
    {
      key: pki.server.key,
      cert: pki.server.chain,
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    },
    (request, response) => {
      const subject = (request.socket as TLSSocket).getPeerCertificate().subject;
      response.writeHead(subject?.CN === 'expired' ? 503 : 200).end('ok');
    },
  );
  target = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-html-'));
  pkiDir = join(dir, 'pki');
  const pki = await generatePki();
  await writePki(pki, pkiDir);
  if (missing) return;
  const url = await startTarget(pki);
  // Every mode, protocol and TLS version, with identities whose cells end differently:
  // accepted, refused in the handshake, closed after it, refused by the client.
  await run('modes', ['--pki', pkiDir, '--identities', 'valid,none,untrusted-ca,wrong-server-trust']);
  // Routes show whatever the identities; s_server serves neither h2 nor gRPC (skipped); the
  // target answers 503 to `expired` (inconclusive) and serves HTTP/1.1 only (not served).
  await run('routes', ['runway-per-route', '--identities', 'valid,none', '--tls', '1.3']);
  const openssl = '--engine openssl --modes on --identities valid,none --tls 1.3';
  await run('engine', ['--pki', pkiDir, ...openssl.split(' ')]);
  await run('target', ['--target', url, '--pki', pkiDir, '--identities', 'valid,expired,none']);
  hostilePage = join(dir, 'hostile.html');
  await writeFile(hostilePage, renderHtml(hostileResult(), { toolVersion: '0.0.0' }));
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  requests: string[];
  problems: string[];
}

/**
 * Opens a report from file:// and records every request (all but the page are refused) and
 * every console error or page error.
 */
async function load(file: string, javaScriptEnabled: boolean): Promise<Loaded> {
  const context = await (browser as Browser).newContext({ javaScriptEnabled });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) =>
    route.request().url() === url ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, problems };
}

/** What every report must do in a browser, with JavaScript on or off. */
async function checkRenders(name: string, javaScriptEnabled: boolean) {
  const { html, json } = runs.get(name) as Run;
  const { page, requests, problems } = await load(html, javaScriptEnabled);
  try {
    expect(requests).toEqual([pathToFileURL(html).href]);
    expect(problems).toEqual([]);
    expect(await page.locator('script, img, iframe, object, embed, link, base').count()).toBe(0);
    await expect(page.locator('header .verdict').textContent()).resolves.toMatch(/\w/);
    // Every cell once in its server's grid, with its detail on demand.
    expect(await page.locator('table.per-server td.m a').count()).toBe(json.summary.cells);
    expect(await page.locator('details.cell').count()).toBe(json.summary.cells);
    expect(await page.locator('table.overview tbody tr').count()).toBe(json.summary.identities.length);
    expect(await page.locator('table.per-server td.k-unrun').count()).toBe(
      json.summary.skipped + json.summary.not_served,
    );
    expect(await page.locator('table.per-server td.k-inconclusive').count()).toBe(json.summary.inconclusive);
    return page;
  } catch (error) {
    await page.context().close();
    throw error;
  }
}

describe.skipIf(missing !== null)('HTML report in Chromium', () => {
  it('renders a run of every mode with JavaScript on and off, fetching nothing and logging no error', async () => {
    for (const javaScript of [true, false]) {
      const page = await checkRenders('modes', javaScript);
      // Green exactly when the run exits 0 (a cell that timed out on a busy machine is not).
      const { exitCode, json } = runs.get('modes') as Run;
      const cells = 5 * 4 * 4 * 2;
      expect(json.summary.cells).toBe(cells);
      const verdict = await page.locator('header .verdict').textContent();
      if (exitCode === 0) expect(verdict).toMatch(new RegExp(`all ${cells} cells as expected`));
      else expect(verdict).toMatch(/did not meet their expectation|inconclusive/);
      expect(await page.locator(`header .verdict.${exitCode === 0 ? 'green' : 'red'}`).count()).toBe(1);
      expect(await page.locator('section.server').count()).toBe(5);
      // Without script, following a grid cell (one in a later server's grid) opens its detail.
      const link = page.locator('table.per-server td.m a').nth(cells - 50);
      const href = (await link.getAttribute('href')) as string;
      await link.click();
      const detail = page.locator(`details.cell:has(${href})`);
      await expect(detail.getAttribute('open')).resolves.toBe('');
      expect(await detail.locator('dl.d').isVisible()).toBe(true);
      await expect(detail.locator('dl.d').textContent()).resolves.toMatch(
        /handshake[^]*request[^]*server saw/,
      );
      await page.context().close();
    }
  });

  it('renders routes, skipped cells, and a --target with cells not served and inconclusive', async () => {
    const routes = await checkRenders('routes', false);
    await expect(routes.locator('table.overview thead').textContent()).resolves.toMatch(
      /runway\/payments[^]*runway\/legacy/,
    );
    await routes.context().close();

    const engine = await checkRenders('engine', false);
    expect(runs.get('engine')?.json.summary.skipped).toBeGreaterThan(0);
    await expect(engine.locator('#not-run').textContent()).resolves.toMatch(/skipped: /);
    await engine.context().close();

    const target = await checkRenders('target', true);
    const { json, exitCode } = runs.get('target') as Run;
    expect(exitCode).toBe(1);
    expect(json.summary.inconclusive).toBeGreaterThanOrEqual(4);
    expect(json.summary.not_served).toBeGreaterThan(0);
    await expect(target.locator('header .verdict').textContent()).resolves.toMatch(/inconclusive/);
    expect(await target.locator('header .verdict.red').count()).toBe(1);
    const why = json.cells.find((cell) => cell.verdict === 'inconclusive')?.inconclusive_why as string;
    expect(why).toMatch(/\w/);
    const inconclusive = target.locator('#inconclusive article.cell');
    expect(await inconclusive.count()).toBe(json.summary.inconclusive);
    const first = (await inconclusive.first().textContent()) ?? '';
    expect(first).toMatch(/inconclusive because/);
    expect(first).toContain(why);
    await expect(target.locator('#not-run').textContent()).resolves.toMatch(/not served: /);
    await target.context().close();
  });

  it('shows hostile names as text: nothing runs, nothing loads', async () => {
    const { page, requests, problems } = await load(hostilePage, true);
    expect(requests).toEqual([pathToFileURL(hostilePage).href]);
    expect(problems).toEqual([]);
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    expect(await page.locator('img, iframe, object, link, base, svg, style').count()).toBe(1); // its own style
    await expect(page.locator('table.overview tbody th').first().textContent()).resolves.toBe(HOSTILE_NAME);
    await page.context().close();
  });
});

describe('--format html', () => {
  it('writes the page to stdout, and the verdict decides the exit code as for any report', async () => {
    const small = '--modes on --identities valid,none --protocols tls --tls 1.3 --format html';
    const run = await mtlsLab(['matrix', '--pki', pkiDir, ...small.split(' ')]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(run.stdout).toMatch(/all 2 cells as expected/);
    expect(run.stdout).toMatch(/<dt>tool<\/dt>\s*<dd>mtls-lab \d+\.\d+\.\d+/);
  });
});
