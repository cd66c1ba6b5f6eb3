/**
 * Bring your own identity: `--client-cert FILE --client-key FILE [--name N]` (repeatable) and
 * `--client-ca FILE` / `--client-crl FILE` for what the server trusts, for `matrix` (built-in
 * servers and --target) and `probe`. The user's identities join the generated ones; every
 * identity is judged against the trust the server really has.
 */
import { UsageError } from '../errors.js';
import type { PreparedRun } from '../matrix/prepare.js';
import { type ClientTrust, retrust } from '../pki/inspect-traits.js';
import { readClientCa, readClientCrls } from '../pki/own-files.js';
import {
  type OwnIdentityRequest,
  ownIdentity,
  pairOwnIdentities,
  readOwnIdentities,
} from '../pki/own-identity.js';
import { crlList } from '../pki/pem.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import { printable } from '../errors.js';

export interface OwnIdentityOptions {
  identities: OwnIdentityRequest[];
  /** --client-ca: the CA(s) the server trusts for client certificates. */
  clientCaFile?: string;
  /** --client-crl: CRLs the server checks (built-in servers), or that say who is revoked (a target). */
  clientCrlFile?: string;
}

export interface RawOwnOptions {
  clientCert?: string[];
  clientKey?: string[];
  name?: string[];
  clientCa?: string;
  clientCrl?: string;
}

/** The options as given, paired and checked; undefined when none was given. */
export function parseOwnOptions(raw: RawOwnOptions, scenario?: string): OwnIdentityOptions | undefined {
  const given = [
    raw.clientCert?.length && '--client-cert',
    raw.clientKey?.length && '--client-key',
    raw.name?.length && '--name',
    raw.clientCa && '--client-ca',
    raw.clientCrl && '--client-crl',
  ].filter(Boolean);
  if (given.length === 0) return undefined;
  if (scenario)
    throw new UsageError(
      `${given.join(', ')}: not with a scenario; a scenario describes its own PKI and trust.`,
    );
  return {
    identities: pairOwnIdentities(raw.clientCert, raw.clientKey, raw.name),
    ...(raw.clientCa ? { clientCaFile: raw.clientCa } : {}),
    ...(raw.clientCrl ? { clientCrlFile: raw.clientCrl } : {}),
  };
}

const caSource = (file: string) => `--client-ca ${printable(file)}`;
const PKI_CA = "the PKI's client CA";

async function readTrustFiles(own: OwnIdentityOptions) {
  const [ca, crls] = await Promise.all([
    own.clientCaFile ? readClientCa(own.clientCaFile) : undefined,
    own.clientCrlFile ? readClientCrls(own.clientCrlFile) : '',
  ]);
  return { ca, crls };
}

/** The generated identities against another trust, then the user's own. */
async function identitiesUnder(
  pki: PkiMaterial,
  own: OwnIdentityOptions,
  trust: ClientTrust,
  retrustGenerated: boolean,
): Promise<IdentityMaterial[]> {
  const files = await readOwnIdentities(
    own.identities,
    pki.identities.map((identity) => identity.name),
  );
  const generated = retrustGenerated
    ? await Promise.all(
        pki.identities.map(async (identity) => ({
          ...identity,
          traits: await retrust(identity.traits, identity.chain, trust),
        })),
      )
    : pki.identities;
  const mine = await Promise.all(files.map((file) => ownIdentity(file, trust, pki.serverCa)));
  return [...generated, ...mine];
}

/**
 * Built-in servers: with --client-ca they trust those CAs instead of the PKI's root and check
 * only the CRLs of --client-crl (none given: no CRL checks, since a server checking CRLs
 * refuses every certificate whose issuer has none); without it they keep the PKI's trust,
 * and --client-crl adds CRLs.
 */
export async function ownForServers(prepared: PreparedRun, own: OwnIdentityOptions): Promise<PreparedRun> {
  const { pki } = prepared;
  const files = await readTrustFiles(own);
  const trust: ClientTrust = files.ca
    ? { cas: files.ca, crls: files.crls, source: caSource(own.clientCaFile!) }
    : { cas: pki.clientCa, crls: `${pki.crl.trim()}\n${files.crls}`, source: PKI_CA };
  const identities = await identitiesUnder(pki, own, trust, files.ca !== undefined);
  const noCrl = crlList({ crl: trust.crls }).length === 0;
  return {
    ...prepared,
    pki: { ...pki, clientCa: trust.cas!, crl: trust.crls, identities },
    input: { ...prepared.input, identities, ...(noCrl ? { checkCrl: false } : {}) },
  };
}

/**
 * A server the user runs (--target, probe): --client-ca says what it trusts; without it, the
 * PKI's client CA when the PKI is trusted there, else nobody knows and the oracle leaves what
 * hangs on it open. CRLs only tell who is revoked: what the server checks is its own business.
 */
export async function ownForTarget(
  pki: PkiMaterial,
  own: OwnIdentityOptions,
  pkiTrusted: boolean,
): Promise<PkiMaterial> {
  const files = await readTrustFiles(own);
  const trust: ClientTrust = files.ca
    ? { cas: files.ca, crls: `${files.crls}${pki.crl}`, source: caSource(own.clientCaFile!) }
    : { cas: pkiTrusted ? pki.clientCa : null, crls: `${files.crls}${pki.crl}`, source: PKI_CA };
  return { ...pki, identities: await identitiesUnder(pki, own, trust, files.ca !== undefined) };
}
