/**
 * The `go` engine's server, built from engines/go/main.go (standard library only) with the Go
 * toolchain found here. The binary is kept in the user's cache folder (build-cache.ts:
 * ~/.cache/mtls-lab/go-engine/<key>, keyed by main.go, `go version` and GOOS/GOARCH), so a
 * run builds only when the source or the toolchain changed. Where that folder cannot be used,
 * the first server of a run builds into a marked engine folder and the last one to close
 * removes it (a folder left by a run killed outright is swept by the next, engine-dir.ts).
 *
 * Offline and self-contained: GOPATH mode (no go.mod, nothing to download), no proxy,
 * GOTOOLCHAIN=local (never fetch another toolchain), and a throw-away GOCACHE and GOPATH
 * beside the output, so it builds as root in a clean CI clone with no writable home.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../exec.js';
import { cachedBuild, cacheFolder, cacheKey } from './build-cache.js';
import { engineDir, removeDir } from './engine-dir.js';

export const GO_BINARY = process.env.MTLS_LAB_GO ?? 'go';
/** Shipped beside dist/ and src/ (package.json "files"), so found from either. */
export const GO_SERVER_SOURCE_DIR = fileURLToPath(new URL('../../engines/go/', import.meta.url));
/** The server binary's name, in the cache folder or a throw-away one. */
export const GO_SERVER_NAME = 'mtls-lab-go';
const BUILD_TIMEOUT_MS = 180_000;
/** How the binary is built, beyond main.go and the toolchain: part of the cache key. */
const RECIPE = 'GOPATH mode, go build -o mtls-lab-go main.go; CGO_ENABLED=0 only when that fails';

let users = 0;
let built: Promise<{ binary: string; throwAway?: string }> | undefined;

/**
 * The server binary, from the cache or built on first use; every call must be paired with one
 * releaseGoBuild(). A caller that holds it across several servers (a test file) asks once.
 */
export async function acquireGoBuild(): Promise<string> {
  users++;
  try {
    built ??= obtain().catch((error: unknown) => {
      built = undefined; // a later start may try again
      throw error;
    });
    return (await built).binary;
  } catch (error) {
    await releaseGoBuild();
    throw error;
  }
}

export async function releaseGoBuild(): Promise<void> {
  users--;
  if (users > 0 || !built) return;
  const done = built;
  built = undefined;
  const result = await done.catch(() => undefined);
  if (result?.throwAway) await removeDir(result.throwAway);
}

/** Where the cached binary of this source and toolchain lives (whether or not built yet). */
export async function goCacheKey(): Promise<string> {
  const [source, version] = await Promise.all([
    readFile(join(GO_SERVER_SOURCE_DIR, 'main.go'), 'utf8'),
    goVersion(),
  ]);
  const target = `GOOS=${process.env.GOOS ?? ''} GOARCH=${process.env.GOARCH ?? ''}`;
  return cacheKey(RECIPE, source, version.stdout.trim(), target);
}

async function obtain(): Promise<{ binary: string; throwAway?: string }> {
  const cached = await cachedBuild(cacheFolder('go-engine'), await goCacheKey(), (dir) => buildServer(dir));
  if (cached) return { binary: join(cached, GO_SERVER_NAME) };
  const dir = await engineDir('go-build');
  try {
    await buildServer(dir);
    return { binary: join(dir, GO_SERVER_NAME), throwAway: dir };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

/** Builds the binary into `dir`, leaving only it there. */
async function buildServer(dir: string): Promise<void> {
  const binary = join(dir, GO_SERVER_NAME);
  // The distribution's precompiled standard library is built with cgo, so the default build
  // is the fast one; only when it fails (e.g. no C compiler) is cgo switched off, which
  // rebuilds the standard library and takes several times longer.
  let result = await goBuild(dir, binary, {});
  if (result.exitCode !== 0) result = await goBuild(dir, binary, { CGO_ENABLED: '0' });
  // Only the binary is needed from here on.
  await Promise.all([removeDir(join(dir, 'cache')), removeDir(join(dir, 'gopath'))]);
  if (result.exitCode !== 0)
    throw new Error(
      `go build of ${join(GO_SERVER_SOURCE_DIR, 'main.go')} failed: ${result.stderr || result.shortMessage}`,
    );
}

function goBuild(dir: string, binary: string, extra: Record<string, string>) {
  return runProgram(GO_BINARY, ['build', '-o', binary, 'main.go'], {
    cwd: GO_SERVER_SOURCE_DIR,

    timeout: BUILD_TIMEOUT_MS,
    env: {
      GO111MODULE: 'off',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      GOCACHE: join(dir, 'cache'),
      GOPATH: join(dir, 'gopath'),
      ...extra,
    },
  });
}

let version: ReturnType<typeof runGoVersion> | undefined;
const runGoVersion = () =>
  runProgram(GO_BINARY, ['version'], { timeout: 30_000, env: { GOTOOLCHAIN: 'local' } });
/** `go version`, asked once per process. */
const goVersion = () => (version ??= runGoVersion());

let availability: Promise<string | undefined> | undefined;

/** Why the Go toolchain cannot build the server here; asked once per process. */
export function goUnavailable(): Promise<string | undefined> {
  availability ??= goVersion().then((result) => {
    if (result.exitCode === 0 && result.stdout.startsWith('go version')) return undefined;
    const why =
      result.code === 'ENOENT'
        ? `${GO_BINARY} not found on PATH`
        : `${GO_BINARY} version failed: ${`${result.stderr || result.shortMessage}`.trim().split('\n')[0]}`;
    return `the Go toolchain is not available: ${why} (apt-get install golang-go)`;
  });
  return availability;
}
