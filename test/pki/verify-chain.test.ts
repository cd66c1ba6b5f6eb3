/**
 * inspect's chain check against what a real Node server reports (the measured traits, which
 * test/pki/verify-errors.test.ts re-measures): for every identity, the last problem found is
 * exactly Node's authorizationError, with and without the CRLs.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crlList, pemBlocks, splitPem } from '../../src/pki/pem.js';
import type { IdentityMaterial, PkiMaterial } from '../../src/pki/types.js';
import { verifyChain } from '../../src/pki/verify-chain.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
beforeAll(async () => {
  pki = await pkiPerWorker();
});

function check(identity: IdentityMaterial, withCrl: boolean) {
  const [leaf, ...intermediates] = pemBlocks(identity.chain!, 'CERTIFICATE').map(
    (pem) => new X509Certificate(pem),
  );
  return verifyChain({
    leaf: leaf!,
    intermediates,
    trusted: [new X509Certificate(pki.clientCa)],
    purpose: 'client',
    ...(withCrl ? { crls: crlList(pki).map((pem) => splitPem(pem)[0]!.der) } : {}),
  });
}

describe.each([true, false])('with CRLs: %s', (withCrl) => {
  it('ends on the error a Node server reports, for every identity', async () => {
    const presenting = pki.identities.filter((identity) => identity.chain);
    const results = await Promise.all(presenting.map((identity) => check(identity, withCrl)));
    const table = Object.fromEntries(
      presenting.map((identity, i) => [identity.name, results[i]?.nodeReports]),
    );
    const expected = Object.fromEntries(
      presenting.map((identity) => [
        identity.name,
        withCrl ? identity.traits.verifyError : identity.traits.verifyErrorWithoutCrl,
      ]),
    );
    expect(table).toEqual(expected);
  });
});

it('names the root cause first and builds the path through the intermediate', async () => {
  const find = (name: string) => pki.identities.find((identity) => identity.name === name)!;
  const orphan = await check(find('chain-no-intermediate'), false);
  expect(orphan.problems.map((p) => p.code)).toEqual([
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  ]);
  expect(orphan.problems[0]?.message).toContain('mtls-lab Intermediate CA');
  const selfSigned = await check(find('self-signed'), true);
  expect(selfSigned.problems[0]?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  const chain = await check(find('chain'), true);
  expect(chain.ok).toBe(true);
  expect(chain.path).toEqual([
    'CN=chain, O=mtls-lab',
    'CN=mtls-lab Intermediate CA, O=mtls-lab',
    'CN=mtls-lab Root CA, O=mtls-lab',
  ]);
});
