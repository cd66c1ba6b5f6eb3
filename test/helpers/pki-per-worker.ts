/**
 * One default PKI (ecdsa-p256, 365 days, the standard identities) per test worker, for tests
 * that need a PKI but are not about generating one. Test files share their worker's module
 * graph, so the first file to ask pays for the keys (the RSA identity's above all) and later
 * files get the same material; each caller gets its own deep copy, so no test can change
 * another's. The validity windows leave days either side, far more than a test run lasts.
 */
import { generatePki } from '../../src/pki/generate.js';
import type { PkiMaterial } from '../../src/pki/types.js';

let shared: Promise<PkiMaterial> | undefined;

export async function pkiPerWorker(): Promise<PkiMaterial> {
  if (!shared) {
    shared = generatePki();
    // A failed generation is not kept: the next caller tries again.
    shared.catch(() => (shared = undefined));
  }
  return structuredClone(await shared);
}
