/**
 * Before running cells against a target: do the clients trust its certificate? If not, every
 * cell would fail the same way on the client side, so this is one clear InputError instead.
 */
import { rootCertificates } from 'node:tls';
import { runClient } from '../clients/run-client.js';
import type { HandshakeObservation } from '../clients/types.js';
import { InputError } from '../errors.js';
import type { TlsVersion } from '../servers/types.js';
import { formatTarget, type TargetAddress } from './parse.js';

/** Node's bundled public CAs, for targets with a publicly issued certificate. */
export function systemRootsPem(): string {
  return rootCertificates.join('\n');
}

/** Client refusals that are about the server's certificate (not the TLS version, not our own key). */
const SERVER_CERT_PROBLEM =
  /CERT|ISSUER|SIGNATURE|SELF_SIGNED|HOSTNAME|ALTNAME|VERIFY|PURPOSE|INVALID_CA|PATH_LENGTH/;

export function isServerCertificateRefusal(handshake: HandshakeObservation): boolean {
  return handshake.kind === 'client_error' && SERVER_CERT_PROBLEM.test(handshake.code ?? '');
}

/** The server refused the TLS version the client pinned: it does not speak that version. */
const VERSION_CODES = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
]);

export function isVersionRefusal(handshake: HandshakeObservation): boolean {
  return handshake.alert === 'protocol_version' || VERSION_CODES.has(handshake.code ?? '');
}

export interface UnsupportedVersion {
  tls: TlsVersion;
  why: string;
}

export interface TrustCheckOptions {
  serverTrust: string;
  servername?: string;
  tls: readonly TlsVersion[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Where the trust came from, for the error message: "--server-ca ca.pem". */
  trustSource: string;
}

/**
 * One connection per TLS version without a client certificate. Throws an InputError when the
 * clients refuse the target's certificate; returns the versions the target does not speak.
 */
export async function checkServerTrust(
  target: TargetAddress,
  options: TrustCheckOptions,
): Promise<UnsupportedVersion[]> {
  const results = await Promise.all(
    options.tls.map((tls) =>
      runClient({
        protocol: 'tls',
        host: target.host,
        port: target.port,
        ...(options.servername ? { servername: options.servername } : {}),
        tls,
        serverTrust: options.serverTrust,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      }),
    ),
  );
  const refusal = results.find((result) => isServerCertificateRefusal(result.handshake))?.handshake;
  if (!refusal) {
    return options.tls
      .map((tls, i) => ({ tls, handshake: results[i]!.handshake }))
      .filter(({ handshake }) => isVersionRefusal(handshake))
      .map(({ tls, handshake }) => ({
        tls,
        why: handshake.alert ? `alert ${handshake.alert}` : (handshake.code ?? ''),
      }));
  }
  const nameProblem = /HOSTNAME|ALTNAME/.test(refusal.code ?? '');
  const hint = nameProblem
    ? 'pass --servername NAME with a name its certificate carries'
    : 'pass --server-ca FILE with the CA that issued its certificate';
  throw new InputError(
    `the clients do not trust the certificate of ${formatTarget(target)} (trusting ${options.trustSource}): ` +
      `${refusal.code}: ${refusal.detail ?? ''}; ${hint}. every connection would fail on the client side.`,
  );
}
