/**
 * The `go` engine's server, built from engines/go/main.go (standard library only) with the Go
 * toolchain found here, once per run: the first server that starts builds it into a marked
 * engine folder, and the last one to close removes it. A folder left by a run that was killed
 * outright is swept by the next run like any engine folder (engine-dir.ts).
 *
 * Offline and self-contained: GOPATH mode (no go.mod, nothing to download), no proxy,
 * GOTOOLCHAIN=local (never fetch another toolchain), and a throw-away GOCACHE and GOPATH
 * inside the folder, so it builds as root in a clean CI clone with no writable home.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { engineDir, removeDir } from './engine-dir.js';

export const GO_BINARY = process.env.MTLS_LAB_GO ?? 'go';
/** Shipped beside dist/ and src/ (package.json "files"), so found from either. */
export const GO_SERVER_SOURCE_DIR = fileURLToPath(new URL('../../engines/go/', import.meta.url));
const BUILD_TIMEOUT_MS = 180_000;

let users = 0;
let built: Promise<{ dir: string; binary: string }> | undefined;

/**
 * The server binary, built on first use; every call must be paired with one releaseGoBuild().
 * A caller that holds it across several servers (a test file) builds once.
 */
export async function acquireGoBuild(): Promise<string> {
  users++;
  try {
    built ??= build().catch((error: unknown) => {
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
  if (result) await removeDir(result.dir);
}

async function build(): Promise<{ dir: string; binary: string }> {
  const dir = await engineDir('go-build');
  const binary = join(dir, 'mtls-lab-go');
  try {
    // The distribution's precompiled standard library is built with cgo, so the default build
    // is the fast one; only when it fails (e.g. no C compiler) is cgo switched off, which
    // rebuilds the standard library and takes several times longer.
    let result = await goBuild(dir, binary, {});
    if (result.exitCode !== 0) result = await goBuild(dir, binary, { CGO_ENABLED: '0' });
    if (result.exitCode !== 0)
      throw new Error(
        `go build of ${join(GO_SERVER_SOURCE_DIR, 'main.go')} failed: ${result.stderr || result.shortMessage}`,
      );
    // Only the binary is needed from here on.
    await Promise.all([removeDir(join(dir, 'cache')), removeDir(join(dir, 'gopath'))]);
    return { dir, binary };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

function goBuild(dir: string, binary: string, extra: Record<string, string>) {
  return execa(GO_BINARY, ['build', '-o', binary, 'main.go'], {
    cwd: GO_SERVER_SOURCE_DIR,
    reject: false,
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

let availability: Promise<string | undefined> | undefined;

/** Why the Go toolchain cannot build the server here; asked once per process. */
export function goUnavailable(): Promise<string | undefined> {
  availability ??= execa(GO_BINARY, ['version'], {
    reject: false,
    timeout: 30_000,
    env: { GOTOOLCHAIN: 'local' },
  }).then((result) => {
    if (result.exitCode === 0 && result.stdout.startsWith('go version')) return undefined;
    const why =
      result.code === 'ENOENT'
        ? `${GO_BINARY} not found on PATH`
        : `${GO_BINARY} version failed: ${`${result.stderr || result.shortMessage}`.trim().split('\n')[0]}`;
    return `the Go toolchain is not available: ${why} (apt-get install golang-go)`;
  });
  return availability;
}
