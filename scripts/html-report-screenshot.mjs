/**
 * Makes docs/html-report.png, the README's picture of the HTML report: runs the default matrix
 * through the built binary, opens its HTML report in headless Chromium and captures the top of
 * the page. Run `npm run build` first, then `node scripts/html-report-screenshot.mjs`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromiumMissing, withChromium } from '../test/helpers/chromium.mjs';

const OUT = 'docs/html-report.png';

const missing = await chromiumMissing();
if (missing) {
  console.error(`Cannot make ${OUT}: ${missing}.`);
  process.exit(1);
}

const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-screenshot-'));
try {
  const report = join(dir, 'report.html');
  const run = await execa('node', ['bin/mtls-lab.js', 'matrix', '--report', `html=${report}`], {
    stdio: 'inherit',
    env: { NO_COLOR: '1' },
    reject: false,
  });
  // The README shows a green default run: anything else (a cell that timed out on a busy
  // machine) would show a problem of the machine, not the report.
  if (run.exitCode !== 0) {
    console.error(`The default run exited ${run.exitCode}; ${OUT} is left as it was. Try again.`);
    process.exitCode = 1;
  } else {
    await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
      await page.goto(pathToFileURL(report).href);
      await page.screenshot({ path: OUT });
    });
    const size = (bytes) => `${Math.round(bytes / 1024)} KiB`;
    console.log(
      `${OUT}: ${size((await stat(OUT)).size)} (the report itself: ${size((await stat(report)).size)})`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
