/**
 * Bring your own identity: `--client-cert FILE --client-key FILE [--name N]` (repeatable) and
 * `--client-ca FILE` / `--client-crl FILE` for what the server trusts, for `matrix` (built-in
 * servers and --target) and `probe`. The user's identities join the generated ones; every
 * identity is judged against the trust the server really has.
 */
import { printable, UsageError } from '../errors.js';
import type { PreparedRun } from '../matrix/prepare.js';
import { type ClientTrust, retrust } from '../pki/inspect-traits.js';
import { readClientCa, readClientCrls } from '../pki/own-files.js';
import {
  type OwnIdentityFiles,
  type OwnIdentityRequest,
  ownIdentity,
  pairOwnIdentities,
  readOwnIdentities,
} from '../pki/own-identity.js';
import { crlList } from '../pki/pem.js';
import { type IdentityMaterial, type PkiMaterial, STANDARD_IDENTITIES } from '../pki/types.js';

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

const PKI_CA = "the PKI's client CA";

/** Everything the options name, read and checked before anything is generated or started. */
export interface OwnMaterial {
  files: OwnIdentityFiles[];
  /** --client-ca as PEM, when given. */
  ca?: string;
  /** Where the CAs came from, for reasons. */
  caSource?: string;
  /** --client-crl as PEM ('' when not given). */
  crls: string;
}

/** Reads every file the options name: bad input is found before any PKI is made or server started. */
export async function readOwn(own: OwnIdentityOptions): Promise<OwnMaterial> {
  // In the order given on the command line, so that of two bad files the same one is named.
  const files = await readOwnIdentities(own.identities, STANDARD_IDENTITIES);
  const ca = own.clientCaFile ? await readClientCa(own.clientCaFile) : undefined;
  const crls = own.clientCrlFile ? await readClientCrls(own.clientCrlFile) : '';
  return {
    files,
    crls,
    ...(ca !== undefined ? { ca, caSource: `--client-ca ${printable(own.clientCaFile!)}` } : {}),
  };
}

/** The generated identities (judged against the new trust, with --client-ca), then the user's own. */
async function identitiesUnder(
  pki: PkiMaterial,
  own: OwnMaterial,
  trust: ClientTrust,
): Promise<IdentityMaterial[]> {
  const generated = own.ca
    ? await Promise.all(
        pki.identities.map(async (identity) => ({
          ...identity,
          traits: await retrust(identity.traits, identity.chain, trust),
        })),
      )
    : pki.identities;
  const mine = await Promise.all(own.files.map((file) => ownIdentity(file, trust, pki.serverCa)));
  return [...generated, ...mine];
}

/**
 * Built-in servers: with --client-ca they trust those CAs instead of the PKI's root and check
 * only the CRLs of --client-crl (none given: no CRL checks, since a server checking CRLs
 * refuses every certificate whose issuer has none); without it they keep the PKI's trust,
 * and --client-crl adds CRLs.
 */
export async function ownForServers(prepared: PreparedRun, own: OwnMaterial): Promise<PreparedRun> {
  const { pki } = prepared;
  const trust: ClientTrust = own.ca
    ? { cas: own.ca, crls: own.crls, source: own.caSource! }
    : { cas: pki.clientCa, crls: `${pki.crl.trim()}\n${own.crls}`, source: PKI_CA };
  const identities = await identitiesUnder(pki, own, trust);
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
  own: OwnMaterial,
  pkiTrusted: boolean,
): Promise<PkiMaterial> {
  const crls = `${own.crls}${pki.crl}`;
  const trust: ClientTrust = own.ca
    ? { cas: own.ca, crls, source: own.caSource! }
    : { cas: pkiTrusted ? pki.clientCa : null, crls, source: PKI_CA };
  return { ...pki, identities: await identitiesUnder(pki, own, trust) };
}
