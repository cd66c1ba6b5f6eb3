/**
 * Debian's Chromium, driven headless by playwright-core, for tests and scripts that look at the
 * HTML report in a real browser. Plain JavaScript so that scripts/ can use it without a build.
 */
import { access, constants } from 'node:fs/promises';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.MTLS_LAB_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet and local: no GPU, no QUIC, no first-run, sync, update or other background traffic. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot be used here, or null when it can. */
export async function chromiumMissing() {
  try {
    await access(CHROMIUM, constants.X_OK);
    return null;
  } catch {
    return `no Chromium at ${CHROMIUM} (install Debian's chromium, or set MTLS_LAB_CHROMIUM)`;
  }
}

/** A fresh headless browser with a temporary profile (playwright's); the caller closes it. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
}

/**
 * Runs `work` with a fresh headless browser and closes the browser afterwards, whatever
 * happened, so no Chromium process outlives the caller.
 */
export async function withChromium(work) {
  const browser = await launchChromium();
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}
