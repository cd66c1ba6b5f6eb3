/**
 * The five client-auth modes (Go's tls.ClientAuthType, as RoadRunner names them) and
 * every alias other systems use for them. Wherever a user names a mode, resolveMode()
 * accepts any of these names.
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

export interface ModePromise {
  mode: Mode;
  /** The server asks for a certificate in the handshake (CertificateRequest). */
  requests: boolean;
  /** A client without a certificate is refused. */
  requires: boolean;
  /** A presented certificate must chain to the client CA (and pass CRL, validity, EKU checks). */
  verifies: boolean;
  summary: string;
  aliases: readonly { name: string; system: string }[];
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
      { name: 'optional_no_ca', system: 'nginx' },
      { name: 'request', system: 'Runway' },
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
    ],
  },
};

const normalise = (name: string): string => name.trim().toLowerCase().replace(/[-\s]/g, '_');

const BY_NAME = new Map<string, Mode>();
for (const promise of Object.values(MODE_PROMISES)) {
  BY_NAME.set(normalise(promise.mode), promise.mode);
  for (const alias of promise.aliases) BY_NAME.set(normalise(alias.name), promise.mode);
}

/** Every accepted spelling, for error messages. */
export function modeNamesHelp(): string {
  return MODES.map((mode) => `${mode} (${MODE_PROMISES[mode].aliases.map((a) => a.name).join(', ')})`).join(
    '; ',
  );
}

export function findMode(name: string): Mode | undefined {
  return BY_NAME.get(normalise(name));
}

/** Resolve a canonical name or alias (case-insensitive; '-' and '_' alike). */
export function resolveMode(name: string, where = 'mode'): Mode {
  const mode = findMode(name);
  if (!mode) throw new UsageError(`Unknown ${where} "${name}". Valid modes and aliases: ${modeNamesHelp()}.`);
  return mode;
}
