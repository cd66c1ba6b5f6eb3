/**
 * The five client-auth modes (Go's tls.ClientAuthType, as RoadRunner names them), every alias
 * other systems use for them, and what a server may forgive on top of its mode. Wherever a
 * user names a mode, resolveBehaviour() (or resolveMode(), for the mode alone) accepts any of
 * these names.
 */
import { UsageError } from './errors.js';

export const MODES = [
  'no_client_certs',
  'request_client_cert',
  'require_any_client_cert',
  'verify_client_cert_if_given',
  'require_and_verify_client_cert',
] as const;

export type Mode = (typeof MODES)[number];

/**
 * Verification failures a verifying server may let through (nginx optional_no_ca, Runway
 * allow_expired, HAProxy crt-ignore-err). Revocation is not one of them: whether a revoked
 * certificate passes is whether the server checks CRLs at all.
 */
export const FORGIVABLE = ['untrusted-issuer', 'expired', 'not-yet-valid', 'wrong-eku'] as const;

export type Forgivable = (typeof FORGIVABLE)[number];

export const FORGIVABLE_DESCRIPTIONS: Record<Forgivable, string> = {
  'untrusted-issuer': 'self-signed, signed by a CA not trusted, or sent without its intermediate',
  expired: 'its validity has ended (notAfter is past)',
  'not-yet-valid': 'its validity has not begun (notBefore is ahead)',
  'wrong-eku': 'its extended key usage does not allow TLS client authentication',
};

/** How a server treats client certificates: its mode, and the failures it forgives. */
export interface Behaviour {
  mode: Mode;
  /** In FORGIVABLE order, no duplicates; empty for a server that forgives nothing. */
  forgives: readonly Forgivable[];
}

export interface ModeAlias {
  name: string;
  /** Who spells it so: Go, nginx, Runway, ... ('mtls-lab' for the report grid's short names). */
  system: string;
  /** What it means beyond the system, e.g. "code spelling" or "grid short name". */
  note?: string;
  /** Failures a server configured with this name lets through; absent = none. */
  forgives?: readonly Forgivable[];
}

export interface ModePromise {
  mode: Mode;
  /** The server asks for a certificate in the handshake (CertificateRequest). */
  requests: boolean;
  /** A client without a certificate is refused. */
  requires: boolean;
  /** A presented certificate must chain to the client CA (and pass CRL, validity, EKU checks). */
  verifies: boolean;
  summary: string;
  aliases: readonly ModeAlias[];
}

export const MODE_PROMISES: Record<Mode, ModePromise> = {
  no_client_certs: {
    mode: 'no_client_certs',
    requests: false,
    requires: false,
    verifies: false,
    summary: 'plain TLS: the server never asks for a client certificate',
    aliases: [
      { name: 'NoClientCert', system: 'Go' },
      // RoadRunner's code spells it without the s; its documentation says no_client_certs.
      { name: 'no_client_cert', system: 'RoadRunner', note: 'code spelling' },
      { name: 'off', system: 'nginx' },
    ],
  },
  request_client_cert: {
    mode: 'request_client_cert',
    requests: true,
    requires: false,
    verifies: false,
    summary: 'asks for a certificate, accepts any or none, verifies nothing',
    aliases: [
      { name: 'RequestClientCert', system: 'Go' },
      { name: 'request', system: 'Runway', note: 'also the grid short name' },
    ],
  },
  require_any_client_cert: {
    mode: 'require_any_client_cert',
    requests: true,
    requires: true,
    verifies: false,
    summary: 'weak mTLS: some certificate is required, but it is not verified',
    aliases: [
      { name: 'RequireAnyClientCert', system: 'Go' },
      { name: 'require', system: 'Runway' },
      { name: 'require_any', system: 'mtls-lab', note: 'grid short name' },
    ],
  },
  verify_client_cert_if_given: {
    mode: 'verify_client_cert_if_given',
    requests: true,
    requires: false,
    verifies: true,
    summary: 'no certificate is fine; a presented one must verify against the client CA',
    aliases: [
      { name: 'VerifyClientCertIfGiven', system: 'Go' },
      { name: 'optional', system: 'nginx' },
      // Not request_client_cert: measured on nginx 1.22, optional_no_ca lets through only
      // an untrusted issuer and still answers 400 to expired, not-yet-valid and wrong-EKU
      // certificates (and to revoked ones with ssl_crl).
      { name: 'optional_no_ca', system: 'nginx', forgives: ['untrusted-issuer'] },
      { name: 'verify_if_given', system: 'mtls-lab', note: 'grid short name' },
    ],
  },
  require_and_verify_client_cert: {
    mode: 'require_and_verify_client_cert',
    requests: true,
    requires: true,
    verifies: true,
    summary: 'mTLS: a certificate that verifies against the client CA is required',
    aliases: [
      { name: 'RequireAndVerifyClientCert', system: 'Go' },
      { name: 'on', system: 'nginx' },
      { name: 'verify', system: 'Runway' },
      { name: 'require_verify', system: 'mtls-lab', note: 'grid short name' },
    ],
  },
};

const normalise = (name: string): string => name.trim().toLowerCase().replace(/[-\s]/g, '_');

/** Forgivable kinds in FORGIVABLE order, each once. */
export function sortForgives(kinds: Iterable<Forgivable>): Forgivable[] {
  const set = new Set(kinds);
  return FORGIVABLE.filter((kind) => set.has(kind));
}

const BY_NAME = new Map<string, Behaviour>();
function register(name: string, behaviour: Behaviour): void {
  const key = normalise(name);
  // Two spellings that normalise alike would make one of them mean something else silently.
  if (BY_NAME.has(key)) throw new Error(`mode name "${name}" is listed twice`);
  // Frozen: every caller shares these objects.
  BY_NAME.set(key, Object.freeze({ mode: behaviour.mode, forgives: Object.freeze([...behaviour.forgives]) }));
}
for (const promise of Object.values(MODE_PROMISES)) {
  register(promise.mode, { mode: promise.mode, forgives: [] });
  for (const alias of promise.aliases)
    register(alias.name, { mode: promise.mode, forgives: sortForgives(alias.forgives ?? []) });
}

export function describeBehaviour(behaviour: Behaviour): string {
  return behaviour.forgives.length > 0
    ? `${behaviour.mode} forgiving ${behaviour.forgives.join(', ')}`
    : behaviour.mode;
}

/** Every accepted spelling, for error messages; a forgiving alias says what it forgives. */
export function modeNamesHelp(): string {
  const alias = (a: ModeAlias) => (a.forgives ? `${a.name} = forgives ${a.forgives.join(', ')}` : a.name);
  return MODES.map((mode) => `${mode} (${MODE_PROMISES[mode].aliases.map(alias).join(', ')})`).join('; ');
}

/** A canonical name or alias (case-insensitive; '-' and '_' alike); undefined when unknown. */
export function findBehaviour(name: string): Behaviour | undefined {
  return BY_NAME.get(normalise(name));
}

/** Like findBehaviour, but an unknown name is a UsageError listing every valid one. */
export function resolveBehaviour(name: string, where = 'mode'): Behaviour {
  const behaviour = findBehaviour(name);
  if (!behaviour)
    throw new UsageError(`Unknown ${where} "${name}". Valid modes and aliases: ${modeNamesHelp()}.`);
  return behaviour;
}

/**
 * The mode alone. A forgiving alias gives its mode and drops what it forgives
 * (optional_no_ca -> verify_client_cert_if_given): callers for which that matters, such as
 * anything that predicts or configures a server's verdicts, must use resolveBehaviour.
 */
export function findMode(name: string): Mode | undefined {
  return findBehaviour(name)?.mode;
}

/** resolveBehaviour(name).mode; see findMode about forgiving aliases. */
export function resolveMode(name: string, where = 'mode'): Mode {
  return resolveBehaviour(name, where).mode;
}

const forgivableKey = (name: string): string => name.trim().toLowerCase().replace(/[_\s]/g, '-');

/** A forgivable kind by name ('_' and '-' alike, any case); undefined when unknown. */
export function findForgivable(name: string): Forgivable | undefined {
  const key = forgivableKey(name);
  return FORGIVABLE.find((kind) => kind === key);
}

/** Why a name is not a forgivable kind, with the valid ones; for every parser of forgives. */
export function unknownForgivableMessage(name: string): string {
  const valid = `valid kinds: ${FORGIVABLE.join(', ')}`;
  if (forgivableKey(name) === 'revoked')
    return `revoked is not forgivable: whether a revoked certificate passes is whether the server checks CRLs; ${valid}`;
  return `unknown forgivable kind "${name}"; ${valid}`;
}

/**
 * A list of forgivable kinds, as an array or one comma-separated string (for the command
 * line); sorted and without duplicates. `where` names the option or field in the error.
 */
export function parseForgives(list: string | readonly string[], where: string): Forgivable[] {
  const names = (typeof list === 'string' ? list.split(',') : list).map((n) => n.trim()).filter(Boolean);
  return sortForgives(
    names.map((name) => {
      const kind = findForgivable(name);
      if (!kind) throw new UsageError(`${where}: ${unknownForgivableMessage(name)}.`);
      return kind;
    }),
  );
}
