/**
 * Traits computed by inspection (for certificates users bring): they agree with the spec of
 * every generated identity, they read certificates made with the real openssl CLI, and a
 * target's expectation stays open where inspection cannot know (trust, revocation).
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCell } from '../../src/matrix/oracle.js';
import { type ClientTrust, inspectTraits } from '../../src/pki/inspect-traits.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { targetExpectation } from '../../src/remote/expect.js';
import { makeOwnCa, type OwnCa } from '../helpers/own-ca.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
let work: string;
let own: OwnCa;
let ownTrust: ClientTrust;
const pem = (path: string) => readFile(path, 'utf8');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-traits-'));
  [pki, own] = await Promise.all([pkiPerWorker(), makeOwnCa(work)]);
  ownTrust = { cas: await pem(own.ca), crls: '', source: '--client-ca ca.pem' };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('inspectTraits against the PKI that made them', () => {
  it('finds what every generated identity is, as its spec says', async () => {
    const trust = { cas: pki.clientCa, crls: pki.crl, source: "the PKI's client CA" };
    for (const identity of pki.identities.filter((i) => i.chain)) {
      const spec = identity.traits;
      // Whether the client trusts the server is the client's business, not its certificate's.
      const seen = { ...(await inspectTraits(identity.chain!, trust)), trustsServer: spec.trustsServer };
      expect({ name: identity.name, ...pick(seen) }).toEqual({ name: identity.name, ...pick(spec) });
      // And so the oracle says the same of both, in every mode, with and without CRL checks.
      for (const checksCrl of [true, false])
        for (const mode of ['verify_client_cert_if_given', 'require_and_verify_client_cert'] as const)
          expect(expectCell(mode, seen, { checksCrl }).verdict).toBe(
            expectCell(mode, spec, { checksCrl }).verdict,
          );
    }
  });
});

const pick = (t: Awaited<ReturnType<typeof inspectTraits>>) => ({
  chainsToClientCa: t.chainsToClientCa,
  sendsIntermediate: t.sendsIntermediate,
  validity: t.validity,
  clientAuthEku: t.clientAuthEku,
  revoked: t.revoked,
  self: t.issuer === 'self',
});

describe('inspectTraits on certificates made with openssl', () => {
  it('tells trusted from untrusted, expired, wrong EKU and revoked', async () => {
    const [ours, old, server, gone] = await Promise.all([
      own.issue('ours'),
      own.issue('old', { expired: true }),
      own.issue('server-only', { eku: 'serverAuth' }),
      own.issue('gone'),
    ]);
    const traitsOf = async (cert: string, trust: ClientTrust) => inspectTraits(await pem(cert), trust);
    const trusted = await traitsOf(ours.cert, ownTrust);
    expect(trusted).toMatchObject({ chainsToClientCa: true, validity: 'current', clientAuthEku: true });
    expect(trusted.inspected).toMatchObject({ trust: '--client-ca ca.pem', revocationKnown: false });
    expect(expectCell('require_and_verify_client_cert', trusted, { checksCrl: false }).reason).toBe(
      'the certificate verifies against --client-ca ca.pem',
    );

    const untrusted = await traitsOf(ours.cert, { ...ownTrust, cas: pki.clientCa, source: 'the root' });
    expect(untrusted.chainsToClientCa).toBe(false);
    expect(untrusted.inspected?.untrustedWhy).toMatch(/Our Own CA.*neither sent along nor trusted/);

    expect((await traitsOf(old.cert, ownTrust)).validity).toBe('expired');
    expect((await traitsOf(server.cert, ownTrust)).clientAuthEku).toBe(false);

    const crl = await own.revoke(gone.cert);
    const withCrl = { ...ownTrust, crls: await pem(crl) };
    const revoked = await traitsOf(gone.cert, withCrl);
    expect(revoked.revoked).toBe(true);
    expect(revoked.inspected?.revocationKnown).toBe(true);
    expect(expectCell('require_and_verify_client_cert', revoked, { checksCrl: true }).reason).toMatch(
      /revoked in the CRL/,
    );
    expect((await traitsOf(ours.cert, withCrl)).revoked).toBe(false);
  });

  it('leaves open at a target what cannot be known: revocation without a CRL, trust without --client-ca', async () => {
    const ours = await own.issue('open');
    const on = { mode: 'require_and_verify_client_cert' as const, forgives: [] };
    const known = await inspectTraits(await pem(ours.cert), ownTrust);
    expect(targetExpectation(on, known, { pkiTrusted: true, checksCrl: false }).verdict).toBe('accepted');
    const revocation = targetExpectation(on, known, { pkiTrusted: true, checksCrl: true });
    expect(revocation.verdict).toBe('either');
    expect(revocation.reason).toMatch(/whether this certificate is revoked.*--client-crl/);

    const unknown = await inspectTraits(await pem(ours.cert), { ...ownTrust, cas: null });
    const trust = targetExpectation(on, unknown, { pkiTrusted: true, checksCrl: false });
    expect(trust.verdict).toBe('either');
    expect(trust.reason).toMatch(/trusts this certificate's issuer.*--client-ca/);
    // No certificate at all is refused whatever the target trusts.
    expect(targetExpectation({ ...on, mode: 'no_client_certs' }, unknown, { pkiTrusted: true }).verdict).toBe(
      'accepted',
    );
  });
});
