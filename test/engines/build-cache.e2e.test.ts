/**
 * The go and jvm engines through the built binary, with an empty cache folder (XDG_CACHE_HOME,
 * read at start-up) and a TMPDIR of their own: the first run builds Go's binary and compiles
 * JSSE's classes into the cache; the next one runs from them without building (every file of the
 * cache untouched: same inode, same mtime); and neither leaves anything else behind: no folder
 * in its TMPDIR, no process naming it or the cache, no temporary build in the cache. (Where the
 * cache cannot be used: build-cache.test.ts.)
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goUnavailable } from '../../src/engines/go-build.js';
import { jvmUnavailable } from '../../src/engines/jvm.js';
import { writePki } from '../../src/pki/write.js';
import { processesMentioning } from '../helpers/processes.js';
import { enginePki } from './engine-fixture.js';

const missing = { go: await goUnavailable(), jvm: await jvmUnavailable() };
const ENGINES = (['go', 'jvm'] as const).filter((engine) => missing[engine] === undefined);
const KEY = '[0-9a-f]{32}';
/** All the cache may hold: per engine, one folder per key, with the binary or the classes in it. */
const CACHED = new RegExp(
  `^mtls-lab(/go-engine(/${KEY}(/mtls-lab-go)?)?|/jvm-engine(/${KEY}(/JsseServer(\\$\\w+)?\\.class)?)?)?$`,
);

let root: string;
let pkiDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtls-lab-build-cache-'));
  pkiDir = join(root, 'pki');
  await writePki(await enginePki(), pkiDir);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** A matrix run of the installed engines with this cache folder and a TMPDIR of its own. */
async function run(cache: string, name: string) {
  const tmp = join(root, `tmp-${name}`);
  await mkdir(tmp);
  // Not the helper's 60 s bound: the first run builds, on a machine that may be busy.
  const cli = await execa(
    'node',
    [
      'bin/mtls-lab.js',
      'matrix',
      '--pki',
      pkiDir,
      '--engine',
      ENGINES.join(','),
      // One server per engine, two cells each: the point is what the run builds and leaves.
      '--modes',
      'on',
      '--tls',
      '1.3',
      '--protocols',
      'https',
      '--identities',
      'none,valid',
    ],
    { reject: false, timeout: 200_000, env: { NO_COLOR: '1', XDG_CACHE_HOME: cache, TMPDIR: tmp } },
  );
  expect(cli.exitCode, cli.stderr).toBe(0);
  // Nothing of the run is left: no engine folder (nor Go's build folders), no engine process.
  expect(await readdir(tmp)).toEqual([]);
  expect([...processesMentioning(tmp), ...processesMentioning(cache)]).toEqual([]);
}

/** Every entry under the cache folder, with what would change if it were rebuilt. */
async function cacheEntries(cache: string): Promise<Record<string, string>> {
  const names = await readdir(cache, { recursive: true }).catch(() => []);
  const entries = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(cache, name));
      return [name, `inode ${info.ino}, mtime ${info.mtimeMs}`] as const;
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

describe.skipIf(ENGINES.length === 0)(
  `go and jvm engines' cache (${ENGINES.join(', ') || 'none installed'})`,
  () => {
    it(
      'the first run builds into an empty cache, the next reuses it untouched',
      { timeout: 240_000 },
      async () => {
        const cache = join(root, 'cache');
        await run(cache, 'first');
        const built = await cacheEntries(cache);
        expect(Object.keys(built).filter((name) => !CACHED.test(name))).toEqual([]);
        if (ENGINES.includes('go'))
          expect(Object.keys(built)).toContainEqual(expect.stringMatching(/\/mtls-lab-go$/));
        if (ENGINES.includes('jvm'))
          expect(Object.keys(built)).toContainEqual(expect.stringMatching(/\/JsseServer\.class$/));

        await run(cache, 'second');
        expect(await cacheEntries(cache)).toEqual(built);
      },
    );
  },
);
