/**
 * `--help` and `--version`. Commands are declared in light modules and their implementations
 * load only to run; help must still list every command, option and default. The built binary
 * prints the top-level help and the version (the process and its start-up are the point there);
 * each command's help is the same main() in this process. (How fast they start is measured by
 * `npm run bench`, not asserted here.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_TYPES } from '../../src/pki/types.js';
import { FORMATS } from '../../src/report/index.js';
import { mtlsLab, runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const COMMANDS = ['matrix', 'gen', 'inspect', 'serve', 'probe', 'config', 'modes', 'scenarios'];
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('help and version', () => {
  it('--version (built binary) and -V print the package version', async () => {
    for (const run of [await mtlsLab(['--version']), await runMain(['-V'])]) {
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim()).toBe(version);
    }
  });

  it('--help (built binary) lists every command, in order, with its description', async () => {
    const run = await mtlsLab(['--help']);
    expect(run.exitCode).toBe(0);
    const listed = [...run.stdout.matchAll(/^ {2}(\w+)\b/gm)]
      .map((m) => m[1])
      .filter((name) => COMMANDS.includes(name!));
    expect(listed).toEqual(COMMANDS);
    expect(run.stdout).toContain('A harness for mutual TLS');
    expect(run.stdout).toContain('--debug');
  });

  it.each([
    [
      'matrix',
      ['--target <url>', '--concurrency <n>', '(default: "5")', `(${FORMATS.join(', ')})`, '--no-crl'],
    ],
    [
      'gen',
      [
        '(default: "./pki")',
        '(default: "ecdsa-p256")',
        '(default: "365")',
        '(default: "changeit")',
        '(default: none)',
      ],
    ],
    ['inspect', ['<file...>', '--purpose <purpose>', '(default: "any")']],
    ['serve', ['--mode <mode>', '--tls <version>', '(default: "127.0.0.1")']],
    ['probe', ['<target>', '--timeout <seconds>', '(default: "5")']],
    [
      'config',
      ['--engine <engine>', '--mode <mode>', '--pki <dir>', '(default: "1.3")', '(default: "8443")'],
    ],
    ['modes', ['--json']],
    ['scenarios', ['--json']],
  ])('%s --help shows its arguments, options and defaults', async (command, expected) => {
    const run = await runMain([command, '--help']);
    expect(run.exitCode).toBe(0);
    const text = run.stdout.replace(/\s+/g, ' ');
    for (const piece of expected) expect(text).toContain(piece);
    if (command === 'gen') expect(text).toContain(KEY_TYPES.join(', '));
  });

  it('an unknown command is bad usage (2), and the commands still run', async () => {
    expect((await runMain(['nonsense'])).exitCode).toBe(2);
    const modes = await runMain(['modes', '--json']);
    expect(modes.exitCode).toBe(0);
    expect(parseValid('modes', modes.stdout)).toHaveProperty('modes');
  });
});
