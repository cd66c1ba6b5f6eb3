/**
 * generatePki(): the whole test PKI in memory, in one go. Keys are generated concurrently
 * (WebCrypto runs them on the thread pool, RSA keys in a child process: see keys.ts) and each
 * certificate is signed as soon as its own key and its issuer exist. An abort stops it at once.
 */
// First, so the early RSA key starts before the X.509 library loads (see early-rsa.ts).
import './early-rsa.js';
import { isIP } from 'node:net';
import { abortable } from '../abortable.js';
import { UsageError } from '../errors.js';
import { stage } from '../stages.js';
import { IDENTITY_SPECS, type IdentitySpec, traitsOf } from './identities.js';
import { certificateInfo } from './info.js';
import {
  issueCa,
  issueCrl,
  issueLeaf,
  OID_CLIENT_AUTH,
  OID_SERVER_AUTH,
  randomSerial,
  type Signer,
  type Window,
} from './issue.js';
import { type KeyMaker, keyMaker, privateKeyPem, toPem } from './keys.js';
import {
  DEFAULT_DAYS,
  DEFAULT_KEY_TYPE,
  type GenerateOptions,
  MAX_DAYS,
  type IdentityMaterial,
  type Issuer,
  type KeyType,
  type PkiMaterial,
} from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export { DEFAULT_DAYS, DEFAULT_KEY_TYPE, MAX_DAYS };
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
  if (!Number.isInteger(days) || days <= 0 || days > MAX_DAYS) {
    throw new UsageError(`validity must be a whole number of days from 1 to ${MAX_DAYS}, got ${days}`);
  }
}

const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Extra server names must be DNS names or IP addresses (IPv6 in plain hex notation). */
function checkHosts(hosts: string[]): void {
  for (const host of hosts) {
    const ip = isIP(host);
    if (ip === 6 && host.includes('.')) {
      throw new UsageError(
        `host "${host}": write IPv6 addresses in hex only (e.g. ::1), without an embedded IPv4 part`,
      );
    }
    if (ip === 0 && (!DNS_NAME.test(host) || host.length > 253)) {
      throw new UsageError(`host "${host}" is neither a DNS name nor an IP address`);
    }
  }
}

/** Aborting `signal` rejects with Interrupted at once and kills the RSA key process, if any. */
export async function generatePki(options: GenerateOptions = {}, signal?: AbortSignal): Promise<PkiMaterial> {
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  checkDays(options.days ?? DEFAULT_DAYS);
  checkHosts(options.hosts ?? []);
  stage(`generating the PKI (${keyType} keys)`);
  const keys = keyMaker(signal);
  try {
    const pki = await abortable(buildPki(options, keys), signal, 'while generating the PKI');
    stage('PKI generated');
    return pki;
  } finally {
    keys.close();
  }
}

async function buildPki(options: GenerateOptions, maker: KeyMaker): Promise<PkiMaterial> {
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const days = options.days ?? DEFAULT_DAYS;
  const windows = validityWindows(options.now ?? new Date(), days);
  const leafSpecs = IDENTITY_SPECS.filter((spec) => spec.issuer !== null);

  // Every key starts generating now, and every certificate waits only for the keys it needs:
  // the one RSA 2048 key (the `rsa` identity) takes longer than all the rest put together.
  // An interrupt rejects every key at once, and most are awaited only later (or never).
  const keys = (type: KeyType) => {
    const pair = maker.newKeyPair(type);
    pair.catch(() => undefined);
    return pair;
  };
  const [rootKeys, intermediateKeys, unrelatedKeys, serverKeys] = [
    keys(keyType),
    keys(keyType),
    keys(keyType),
    keys(keyType),
  ];
  const leafKeys = leafSpecs.map((spec) => keys(spec.keyType ?? keyType));
  const ca = { ...windows.ca, keyType };
  const root = issueCa({ ...ca, commonName: 'mtls-lab Root CA', keys: await rootKeys, pathLength: 1 });
  const intermediate = root.then(async (issuer) =>
    issueCa({
      ...ca,
      commonName: 'mtls-lab Intermediate CA',
      keys: await intermediateKeys,
      issuer,
      pathLength: 0,
    }),
  );
  const unrelated = unrelatedKeys.then((k) =>
    issueCa({ ...ca, commonName: 'mtls-lab Unrelated CA', keys: k, pathLength: 0 }),
  );
  const server = root.then(async (issuer) =>
    issueLeaf({
      ...windows.current,
      commonName: 'localhost',
      keys: await serverKeys,
      keyType,
      issuer,
      extendedKeyUsages: [OID_SERVER_AUTH],
      hosts: [...new Set([...SERVER_HOSTS, ...(options.hosts ?? [])])],
    }),
  );
  const issuers: Record<Issuer, Promise<Signer | 'self'>> = {
    root,
    intermediate,
    unrelated,
    self: Promise.resolve('self'),
  };
  // Serials are chosen up front so the root's CRL need not wait for the revoked leaf.
  const serials = leafSpecs.map(() => randomSerial());
  const leaves = leafSpecs.map(async (spec, index) =>
    issueLeaf({
      ...windows[spec.validity],
      serial: serials[index]!,
      commonName: spec.name,
      keys: await leafKeys[index]!,
      keyType: spec.keyType ?? keyType,
      issuer: await issuers[spec.issuer!],
      extendedKeyUsages: [spec.clientAuthEku ? OID_CLIENT_AUTH : OID_SERVER_AUTH],
      uris: [`${SPIFFE_PREFIX}${spec.name}`],
    }),
  );
  // Each of these is awaited below; until then a failure must not count as unhandled.
  for (const pending of [...leaves, intermediate, unrelated, server]) pending.catch(() => undefined);
  const revokedSerials = serials.filter((_, index) => leafSpecs[index]!.revoked);
  // Node turns on CRL checks for the whole chain when given any CRL, so every CA that
  // issues a verified certificate needs one, even when it revokes nothing.
  const crlDates = [windows.current.notBefore, windows.ca.notAfter] as const;
  const crls = Promise.all([
    root.then((issuer) => issueCrl(issuer, revokedSerials, ...crlDates)),
    intermediate.then((issuer) => issueCrl(issuer, [], ...crlDates)),
  ]);
  crls.catch(() => undefined);

  const [rootPem, intermediatePem, unrelatedPem] = (await Promise.all([root, intermediate, unrelated])).map(
    certPem,
  ) as [string, string, string];
  const identities = IDENTITY_SPECS.map(async (spec) => {
    const index = leafSpecs.indexOf(spec);
    const leaf = index >= 0 ? await leaves[index] : undefined;
    return identityMaterial(spec, leaf, intermediatePem, spec.trustsServer ? rootPem : unrelatedPem);
  });
  // Awaited last: an earlier failure (an interrupt) must not leave these unhandled.
  for (const pending of identities) pending.catch(() => undefined);
  const caMaterial = async (signer: Promise<Signer>, pem: string) => ({
    cert: pem,
    key: await privateKeyPem((await signer).keys.privateKey),
    info: certificateInfo(pem),
  });
  const serverSigner = await server;
  const serverPem = certPem(serverSigner);
  return {
    keyType,
    serverCa: rootPem,
    clientCa: rootPem,
    crl: (await crls).map((crl) => toPem('X509 CRL', new Uint8Array(crl.rawData))).join(''),
    server: {
      cert: serverPem,
      key: await privateKeyPem(serverSigner.keys.privateKey),
      chain: serverPem,
      info: certificateInfo(serverPem),
    },
    cas: {
      root: await caMaterial(root, rootPem),
      intermediate: await caMaterial(intermediate, intermediatePem),
      unrelated: await caMaterial(unrelated, unrelatedPem),
    },
    identities: await Promise.all(identities),
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
