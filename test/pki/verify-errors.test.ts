/**
 * The measurement behind IdentityTraits.verifyError / verifyErrorWithoutCrl: a real Node TLS
 * server verifying each identity against the root, with and without the CRLs, over TLS 1.2
 * and 1.3. If Node or OpenSSL ever reports something else, this fails and the table in
 * src/pki/identities.ts must follow what is observed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PkiMaterial } from '../../src/pki/types.js';
import { startVerifyingServer, type VerifyingServer } from './observe-verify.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
const servers: VerifyingServer[] = [];

beforeAll(async () => {
  pki = await pkiPerWorker();
});

afterAll(async () => {
  for (const server of servers) await server[Symbol.asyncDispose]();
  for (const server of servers) expect(server.server.listening).toBe(false);
});

describe.each([
  { withCrl: true, column: 'verifyError' as const },
  { withCrl: false, column: 'verifyErrorWithoutCrl' as const },
])('a verifying Node server, CRL checks $withCrl', ({ withCrl, column }) => {
  it.each(['TLSv1.3', 'TLSv1.2'] as const)(
    'reports each identity as its traits say (%s)',
    async (version) => {
      const server = await startVerifyingServer(pki, withCrl);
      servers.push(server);
      const presenting = pki.identities.filter((identity) => identity.traits.presents);
      const observed = await Promise.all(presenting.map((identity) => server.observe(identity, version)));
      const table = Object.fromEntries(presenting.map((identity, i) => [identity.name, observed[i]?.error]));
      const expected = Object.fromEntries(
        presenting.map((identity) => [identity.name, identity.traits[column]]),
      );
      expect(table).toEqual(expected);
      expect(observed.every((verdict) => verdict.presented)).toBe(true);
    },
  );
});

it('a server never sees a certificate from the `none` identity', async () => {
  const server = await startVerifyingServer(pki, true);
  servers.push(server);
  const none = pki.identities.find((identity) => identity.name === 'none')!;
  const verdict = await server.observe(none);
  expect(verdict.presented).toBe(false);
  expect(verdict.authorized).toBe(false);
  // What Node reports when no certificate arrived; the traits keep null (nothing to verify).
  expect(verdict.error).toBe('UNABLE_TO_GET_ISSUER_CERT');
  expect(none.traits.verifyError).toBeNull();
});

it('Node reads only the first CRL of a PEM string, so the CRLs must be passed as a list', async () => {
  const server = await startVerifyingServer({ ...pki }, true);
  servers.push(server);
  const chain = pki.identities.find((identity) => identity.name === 'chain')!;
  expect((await server.observe(chain)).error).toBeNull();
  const concatenated = await startVerifyingServer({ ...pki }, true, pki.crl);
  servers.push(concatenated);
  expect((await concatenated.observe(chain)).error).toBe('UNABLE_TO_GET_CRL');
});
