/**
 * What the engine test files share: whether an engine is installed (its tests are skipped with
 * the reason when not), one PKI for all of them, and the placeholder paths their configuration
 * tests render with.
 */
import { beforeAll } from 'vitest';
import type { ServerFiles } from '../../src/engines/program.js';
import { type Engine, unavailableReason } from '../../src/engines/registry.js';
import { generatePki } from '../../src/pki/generate.js';
import type { PkiMaterial } from '../../src/pki/types.js';

/** Where a configuration test pretends the engine's folder (`/e`) and its files are. */
export const PLACEHOLDER_FILES: ServerFiles = {
  cert: '/e/server.crt',
  key: '/e/server.key',
  certChain: '/e/server-chain.pem',
  certChainKey: '/e/k.pem',
  clientCa: '/e/client-ca.pem',
  crl: '/e/crl.pem',
};

let shared: Promise<PkiMaterial> | undefined;

/**
 * One PKI for every engine test file that runs in this worker: generating it is most of a small
 * file's set-up, and no test changes it (a test that needs a broken one copies it).
 */
export function enginePki(): Promise<PkiMaterial> {
  shared ??= generatePki().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

export interface EngineUnderTest {
  /** Why it cannot run here; undefined when installed. */
  missing: string | undefined;
  /** For a describe(): the name, and whether it is installed or why not. */
  title: string;
  /** The shared PKI, once the file's beforeAll has run (only when installed). */
  pki(): PkiMaterial;
}

/** Call at the top of a file: asks whether `engine` is installed, and gets the PKI before its tests. */
export async function engineUnderTest(engine: Engine, name: string): Promise<EngineUnderTest> {
  const missing = await unavailableReason(engine);
  let pki: PkiMaterial | undefined;
  beforeAll(async () => {
    if (!missing) pki = await enginePki();
  });
  return {
    missing,
    title: `${name} engine (${missing ?? 'installed'})`,
    pki: () => {
      if (!pki) throw new Error(`no PKI: the ${engine} engine is not installed, or beforeAll has not run`);
      return pki;
    },
  };
}
