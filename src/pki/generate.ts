/**
 * generatePki(): the whole test PKI in memory, in one go. Keys are generated concurrently
 * (WebCrypto runs them on the thread pool), then certificates are signed level by level.
 */
import { UsageError } from '../errors.js';
import { IDENTITY_SPECS, type IdentitySpec, traitsOf } from './identities.js';
import { certificateInfo } from './info.js';
import {
  issueCa,
  issueCrl,
  issueLeaf,
  OID_CLIENT_AUTH,
  OID_SERVER_AUTH,
  type Signer,
  type Window,
} from './issue.js';
import { generateKeyPair, privateKeyPem, toPem } from './keys.js';
import type { GenerateOptions, IdentityMaterial, KeyType, PkiMaterial } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';
export const DEFAULT_DAYS = 365;
export const SPIFFE_PREFIX = 'spiffe://mtls-lab.test/client/';
const SERVER_HOSTS = ['localhost', '127.0.0.1', '::1'];

function certPem(signer: Signer): string {
  return toPem('CERTIFICATE', new Uint8Array(signer.cert.rawData));
}

function validityWindows(now: Date, days: number) {
  // An hour of slack in the past tolerates small clock differences between machines.
  const start = new Date(now.getTime() - HOUR);
  const current: Window = { notBefore: start, notAfter: new Date(start.getTime() + days * DAY) };
  return {
    current,
    // CAs outlive the not-yet-valid leaf, so only the leaf's own dates make it fail.
    ca: { notBefore: start, notAfter: new Date(current.notAfter.getTime() + 2 * DAY) },
    expired: {
      notBefore: new Date(now.getTime() - (days + 1) * DAY),
      notAfter: new Date(now.getTime() - DAY),
    },
    'not-yet-valid': {
      notBefore: new Date(now.getTime() + DAY),
      notAfter: new Date(now.getTime() + (days + 1) * DAY),
    },
  } satisfies Record<string, Window>;
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days <= 0) {
    throw new UsageError(`validity must be a positive whole number of days, got ${days}`);
  }
}

export async function generatePki(options: GenerateOptions = {}): Promise<PkiMaterial> {
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const days = options.days ?? DEFAULT_DAYS;
  checkDays(days);
  const windows = validityWindows(options.now ?? new Date(), days);
  const leafSpecs = IDENTITY_SPECS.filter((spec) => spec.issuer !== null);

  const [rootKeys, intermediateKeys, unrelatedKeys, serverKeys, ...leafKeys] = await Promise.all([
    generateKeyPair(keyType),
    generateKeyPair(keyType),
    generateKeyPair(keyType),
    generateKeyPair(keyType),
    ...leafSpecs.map((spec) => generateKeyPair(spec.keyType ?? keyType)),
  ]);

  const root = await issueCa({
    commonName: 'mtls-lab Root CA',
    keys: rootKeys,
    keyType,
    pathLength: 1,
    ...windows.ca,
  });
  const [intermediate, unrelated, server] = await Promise.all([
    issueCa({
      commonName: 'mtls-lab Intermediate CA',
      keys: intermediateKeys,
      keyType,
      issuer: root,
      pathLength: 0,
      ...windows.ca,
    }),
    issueCa({
      commonName: 'mtls-lab Unrelated CA',
      keys: unrelatedKeys,
      keyType,
      pathLength: 0,
      ...windows.ca,
    }),
    issueLeaf({
      commonName: 'localhost',
      keys: serverKeys,
      keyType,
      issuer: root,
      extendedKeyUsages: [OID_SERVER_AUTH],
      hosts: [...new Set([...SERVER_HOSTS, ...(options.hosts ?? [])])],
      ...windows.current,
    }),
  ]);
  const issuers = { root, intermediate, unrelated, self: 'self' as const };

  const leaves = await Promise.all(
    leafSpecs.map((spec, index) =>
      issueLeaf({
        commonName: spec.name,
        keys: leafKeys[index]!,
        keyType: spec.keyType ?? keyType,
        issuer: issuers[spec.issuer!],
        extendedKeyUsages: [spec.clientAuthEku ? OID_CLIENT_AUTH : OID_SERVER_AUTH],
        uris: [`${SPIFFE_PREFIX}${spec.name}`],
        ...windows[spec.validity],
      }),
    ),
  );
  const leafByName = new Map(leafSpecs.map((spec, index) => [spec.name, leaves[index]!]));

  const revokedSerials = leafSpecs
    .filter((spec) => spec.revoked)
    .map((spec) => leafByName.get(spec.name)!.cert.serialNumber);
  // Node turns on CRL checks for the whole chain when given any CRL, so every CA that
  // issues a verified certificate needs one, even when it revokes nothing.
  const [rootCrl, intermediateCrl] = await Promise.all([
    issueCrl(root, revokedSerials, windows.current.notBefore, windows.ca.notAfter),
    issueCrl(intermediate, [], windows.current.notBefore, windows.ca.notAfter),
  ]);

  const rootPem = certPem(root);
  const intermediatePem = certPem(intermediate);
  const unrelatedPem = certPem(unrelated);
  const identities = await Promise.all(
    IDENTITY_SPECS.map((spec) =>
      identityMaterial(
        spec,
        leafByName.get(spec.name),
        intermediatePem,
        spec.trustsServer ? rootPem : unrelatedPem,
      ),
    ),
  );
  const serverPem = certPem(server);
  const ca = async (signer: Signer, pem: string) => ({
    cert: pem,
    key: await privateKeyPem(signer.keys.privateKey),
    info: certificateInfo(pem),
  });
  return {
    keyType,
    serverCa: rootPem,
    clientCa: rootPem,
    crl:
      toPem('X509 CRL', new Uint8Array(rootCrl.rawData)) +
      toPem('X509 CRL', new Uint8Array(intermediateCrl.rawData)),
    server: {
      cert: serverPem,
      key: await privateKeyPem(server.keys.privateKey),
      chain: serverPem,
      info: certificateInfo(serverPem),
    },
    cas: {
      root: await ca(root, rootPem),
      intermediate: await ca(intermediate, intermediatePem),
      unrelated: await ca(unrelated, unrelatedPem),
    },
    identities,
  };
}

async function identityMaterial(
  spec: IdentitySpec,
  leaf: Signer | undefined,
  intermediatePem: string,
  serverTrust: string,
): Promise<IdentityMaterial> {
  const material: IdentityMaterial = {
    name: spec.name,
    description: spec.description,
    serverTrust,
    traits: traitsOf(spec),
  };
  if (!leaf) return material;
  const cert = certPem(leaf);
  material.cert = cert;
  material.key = await privateKeyPem(leaf.keys.privateKey);
  material.chain = spec.sendsIntermediate ? cert + intermediatePem : cert;
  material.info = certificateInfo(cert);
  return material;
}
