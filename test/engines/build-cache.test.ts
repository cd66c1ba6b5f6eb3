/**
 * The build cache of the go and jvm engines (src/engines/build-cache.ts), on real folders: where
 * it lives, one build per key, a folder under its final name only when complete (a failed build
 * leaves nothing, a second run that finishes later keeps the first's), temporary folders of
 * killed builds swept, and no cache at all where the folder is not this user's own: then the go
 * engine builds a throw-away binary, removed once released, and the jvm engine runs the source.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedBuild, cacheFolder, cacheKey } from '../../src/engines/build-cache.js';
import { ENGINE_DIR_PREFIX } from '../../src/engines/engine-dir.js';
import { acquireGoBuild, goUnavailable, releaseGoBuild } from '../../src/engines/go-build.js';
import { JSSE_SERVER_SOURCE, jsseLaunchArgs, jvmUnavailable } from '../../src/engines/jvm.js';

let root: string;
let cache: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtls-lab-cache-test-'));
  cache = join(root, 'mtls-lab', 'go-engine');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const writes = (text: string) => async (dir: string) => writeFile(join(dir, 'out'), text);

describe('where the cache is', () => {
  it('is $XDG_CACHE_HOME/mtls-lab/<name> when absolute, else ~/.cache/mtls-lab/<name>', () => {
    expect(cacheFolder('go-engine', { XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/mtls-lab/go-engine');
    const home = join(homedir(), '.cache', 'mtls-lab', 'jvm-engine');
    expect(cacheFolder('jvm-engine', { XDG_CACHE_HOME: 'relative' })).toBe(home);
    expect(cacheFolder('jvm-engine', {})).toBe(home);
  });

  it('is keyed by every part, not by their concatenation', () => {
    expect(cacheKey('ab', 'c')).toMatch(/^[0-9a-f]{32}$/);
    expect(cacheKey('ab', 'c')).not.toBe(cacheKey('a', 'bc'));
    expect(cacheKey('ab', 'c')).toBe(cacheKey('ab', 'c'));
  });
});

describe('a cached build', () => {
  it('is built once per key and found by the next caller, also by two at once', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await writes('built')(dir);
    };
    const [one, two] = await Promise.all([cachedBuild(cache, 'k1', build), cachedBuild(cache, 'k1', build)]);
    expect(one).toBe(join(cache, 'k1'));
    expect(two).toBe(one);
    expect(await cachedBuild(cache, 'k1', build)).toBe(one);
    expect(builds).toBe(1);
    expect(await readFile(join(one!, 'out'), 'utf8')).toBe('built');
    expect(await readdir(cache)).toEqual(['k1']);
  });

  it('that fails leaves nothing in the cache, half written or not', async () => {
    const failing = async (dir: string) => {
      await writes('half')(dir);
      throw new Error('compiler says no');
    };
    await expect(cachedBuild(cache, 'k1', failing)).rejects.toThrow('compiler says no');
    expect(await readdir(cache)).toEqual([]);
  });

  it('that another run finished first is kept, and ours discarded', async () => {
    const dir = await cachedBuild(cache, 'k1', async (temp) => {
      await writes('ours')(temp);
      // The other run renames its complete build into place while ours is still building.
      await mkdir(join(cache, 'k1'));
      await writes('theirs')(join(cache, 'k1'));
    });
    expect(await readFile(join(dir!, 'out'), 'utf8')).toBe('theirs');
    expect(await readdir(cache)).toEqual(['k1']);
  });

  it("sweeps the temporary folder of a build whose process is gone, not a live one's", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(join(cache, `.build-${dead}-0a0a0a`), { recursive: true });
    await mkdir(join(cache, `.build-${process.ppid}-0b0b0b`));
    await cachedBuild(cache, 'k1', writes('built'));
    expect((await readdir(cache)).sort()).toEqual([`.build-${process.ppid}-0b0b0b`, 'k1']);
  });
});

describe('no cache (the caller builds a throw-away copy)', () => {
  const never = async () => {
    throw new Error('built where it must not');
  };

  it('where the folder cannot be made', async () => {
    await writeFile(join(root, 'file'), '');
    expect(await cachedBuild(join(root, 'file', 'mtls-lab', 'go-engine'), 'k1', never)).toBeUndefined();
  });

  it('where others may write to it', async () => {
    await mkdir(cache, { recursive: true });
    await chmod(cache, 0o777);
    expect(await cachedBuild(cache, 'k1', never)).toBeUndefined();
  });

  it('where it is a symbolic link', async () => {
    await mkdir(join(root, 'elsewhere'));
    await mkdir(join(root, 'mtls-lab'));
    await symlink(join(root, 'elsewhere'), cache);
    expect(await cachedBuild(cache, 'k1', never)).toBeUndefined();
  });
});

describe('the engines where the cache cannot be used', () => {
  /** Runs `body` with XDG_CACHE_HOME naming a file, restored afterwards. */
  async function withoutCache<T>(body: () => Promise<T>): Promise<T> {
    const before = process.env.XDG_CACHE_HOME;
    await writeFile(join(root, 'file'), '');
    process.env.XDG_CACHE_HOME = join(root, 'file');
    try {
      return await body();
    } finally {
      if (before === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = before;
    }
  }

  it(
    'go builds into a throw-away engine folder, removed when the last user releases it',
    { timeout: 200_000 },
    async (context) => {
      const missing = await goUnavailable();
      if (missing) context.skip(missing);
      const binary = await withoutCache(() => acquireGoBuild());
      try {
        expect(dirname(binary)).toMatch(new RegExp(`/${ENGINE_DIR_PREFIX}go-build-`));
        expect(await readdir(dirname(binary))).toEqual(expect.arrayContaining(['mtls-lab-go']));
      } finally {
        await releaseGoBuild();
      }
      expect(existsSync(dirname(binary))).toBe(false);
    },
  );

  it('jvm runs JsseServer from its source', async (context) => {
    const missing = await jvmUnavailable();
    if (missing) context.skip(missing);
    const launch = await withoutCache(() => jsseLaunchArgs());
    expect(launch).toContain(JSSE_SERVER_SOURCE);
    expect(launch).not.toContain('-cp');
  });
});
