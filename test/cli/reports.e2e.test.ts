/**
 * Several reports per run: files in folders that do not exist yet, one report on stdout,
 * Markdown appended to $GITHUB_STEP_SUMMARY, and reports written into a device, a FIFO or
 * through a symlink without replacing what is there. Through the CLI's main() in this process:
 * the reports are files, written the same way whoever calls it.
 */
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { writePki } from '../../src/pki/write.js';
import { type CliRun, runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

let dir: string;
/** A small run: enough cells to report on, quick to run, on one PKI for the whole file. */
let small: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-reports-'));
  const pki = (await writePki(await generatePki(), join(dir, 'pki'))).dir;
  small = [
    'matrix',
    '--pki',
    pki,
    '--modes',
    'on',
    '--identities',
    'valid,none',
    '--protocols',
    'tls',
    '--tls',
    '1.3',
  ];
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('matrix --report', () => {
  it('writes several reports in one run, making missing folders, with JSON alone on stdout', async () => {
    const junit = join(dir, 'made', 'here', 'mtls.xml');
    const markdown = join(dir, 'made', 'summary.md');
    const run = await runMain([
      ...small,
      '--report',
      `junit=${junit}`,
      '--report',
      `markdown=${markdown}`,
      '--format',
      'json',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parseValid('matrix', run.stdout).summary).toMatchObject({ cells: 2, passed: 2 });
    expect(await readFile(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(await readFile(markdown, 'utf8')).toMatch(/^## mtls-lab matrix/);
    expect(run.stderr).toMatch(/reports written to/);
  });

  it('refuses two reports on stdout, and a malformed --report, before running anything (exit 2)', async () => {
    const two = await runMain([...small, '--report', 'json=-', '--format', 'junit']);
    expect(two.exitCode).toBe(2);
    expect(two.stderr).toMatch(/Only one report can go to stdout/);
    const bad = await runMain([...small, '--report', 'html']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--report "html": expected FORMAT=FILE/);
    expect(bad.stdout).toBe('');
  });

  it('appends Markdown to $GITHUB_STEP_SUMMARY instead of replacing what earlier steps wrote', async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '## an earlier step\n');
    // The run reads the variable when it writes its reports: set for this run, then put back
    // (a CI job running these tests has its own).
    const before = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = summary;
    let run: CliRun;
    try {
      run = await runMain([...small, '--report', `markdown=${summary}`]);
    } finally {
      if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = before;
    }
    expect(run.exitCode, run.stderr).toBe(0);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('## an earlier step\n')).toBe(true);
    expect(text).toMatch(/## mtls-lab matrix/);
  });

  it('writes through a symlink into its file, and keeps the link', async () => {
    const file = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    await writeFile(file, 'old');
    await symlink(file, link);
    const run = await runMain([...small, '--format', 'json', '-o', link]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(parseValid('matrix', await readFile(file, 'utf8')).summary.cells).toBe(2);
  });

  it('writes into a device or a FIFO without replacing it', async () => {
    const toNull = await runMain([...small, '--format', 'json', '-o', '/dev/null']);
    expect(toNull.exitCode, toNull.stderr).toBe(0);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);

    const fifo = join(dir, 'report.fifo');
    await execa('mkfifo', [fifo]);
    // The reader opens the FIFO first, so the writer's open does not wait for it.
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (chunk) => chunks.push(chunk as Buffer));
    const ended = new Promise<void>((resolve) => reader.once('end', () => resolve()));
    const run = await runMain([...small, '--format', 'json', '-o', fifo]);
    await ended;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parseValid('matrix', Buffer.concat(chunks).toString('utf8')).summary.cells).toBe(2);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });
});
