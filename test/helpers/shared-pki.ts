/**
 * One generated PKI for the test files that need a PKI, not a particular one: generating keys,
 * a score of certificates and the CRLs takes a second or two, and no test changes the result.
 * Files share their worker's module graph, so a worker generates it once; were each file given
 * a module graph of its own, each would generate its own, which is as correct.
 */
import { generatePki } from '../../src/pki/generate.js';
import type { PkiMaterial } from '../../src/pki/types.js';

let shared: Promise<PkiMaterial> | undefined;

export function sharedPki(): Promise<PkiMaterial> {
  shared ??= generatePki().catch((error: unknown) => {
    shared = undefined; // the next file tries again
    throw error;
  });
  return shared;
}
