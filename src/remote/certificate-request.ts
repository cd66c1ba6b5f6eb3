/**
 * Does the server send a CertificateRequest, and which CA names does it list? Node's client
 * cannot tell (a server that asks and one that does not behave the same towards a client
 * without a certificate), so this asks `openssl s_client` where it is installed.
 *
 * Not `-brief`: it omits the CA list. `-state` prints "read server certificate request" on
 * stderr when the message arrives, which also covers a server that sends an empty CA list
 * (Go's RequestClientCert), where stdout says "No client certificate CA names sent" as it does
 * for a server that asks nothing. No -CAfile: s_client goes on whatever its verification says,
 * and the question is only what the server sends.
 */
import { isIP } from 'node:net';
import { runProgram } from '../exec.js';
import { formatTarget, type TargetAddress } from './parse.js';

export interface CertificateRequestInfo {
  sent: boolean;
  /** Distinguished names of the acceptable client CAs, as OpenSSL prints them. */
  caNames: string[];
}

export type CertificateRequestCheck =
  | { available: true; sent: boolean; caNames: string[]; command: string }
  | { available: false; reason: string; command: string };

const LIST_START = 'Acceptable client certificate CA names';
const LIST_END =
  /^(Client Certificate Types|Requested Signature Algorithms|Shared Requested|Peer signing|Peer signature|Server Temp Key|---)/;

/** What s_client's output says; undefined when the handshake never got far enough to tell. */
export function parseSClientOutput(stdout: string, stderr: string): CertificateRequestInfo | undefined {
  const lines = stdout.split(/\r?\n/);
  const start = lines.indexOf(LIST_START);
  const caNames: string[] = [];
  if (start >= 0) {
    for (const line of lines.slice(start + 1)) {
      if (LIST_END.test(line) || line.trim() === '') break;
      caNames.push(line.trim());
    }
  }
  const stateSaysSent = /read server certificate request/.test(stderr);
  if (stateSaysSent || start >= 0 || /^Requested Signature Algorithms:/m.test(stdout))
    return { sent: true, caNames };
  // The server's last flight arrived without a CertificateRequest in it.
  const flightDone = /read server done|read finished/.test(stderr);
  if (flightDone || lines.includes('No client certificate CA names sent'))
    return { sent: false, caNames: [] };
  return undefined;
}

export interface CertificateRequestOptions {
  servername?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The openssl binary; default `openssl` from PATH. */
  openssl?: string;
}

export async function checkCertificateRequest(
  target: TargetAddress,
  options: CertificateRequestOptions,
): Promise<CertificateRequestCheck> {
  const binary = options.openssl ?? 'openssl';
  const name = options.servername ?? target.servername;
  const args = [
    's_client',
    '-connect',
    formatTarget(target),
    // RFC 6066 forbids an IP address as SNI.
    ...(name && isIP(name) === 0 ? ['-servername', name] : ['-noservername']),
    '-state',
  ];
  const command = `${binary} ${args.join(' ')}`;
  const run = await runProgram(binary, args, {
    // stdin at EOF: s_client ends right after the handshake instead of waiting for input.
    stdin: 'ignore',
    timeout: options.timeoutMs,
    forceKillAfterDelay: 1000,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  if (run.code === 'ENOENT') return { available: false, reason: `${binary} is not installed`, command };
  if (run.isCanceled) return { available: false, reason: 'the check was interrupted', command };
  if (run.timedOut)
    return {
      available: false,
      reason: `${binary} s_client did not finish within ${options.timeoutMs} ms`,
      command,
    };
  const info = parseSClientOutput(String(run.stdout ?? ''), String(run.stderr ?? ''));
  if (!info) {
    const last =
      String(run.stderr ?? '')
        .trim()
        .split('\n')
        .pop() ?? '';
    return {
      available: false,
      reason: `${binary} s_client did not complete the handshake: ${last}`,
      command,
    };
  }
  return { available: true, ...info, command };
}

/** One line for a report. */
export function describeCertificateRequest(check: CertificateRequestCheck): string {
  if (!check.available) return `Whether the server sends a CertificateRequest is unknown: ${check.reason}.`;
  if (!check.sent) return 'The server sends no CertificateRequest: it never asks for a client certificate.';
  if (check.caNames.length === 0) return 'The server sends a CertificateRequest that names no acceptable CA.';
  return `The server sends a CertificateRequest naming ${check.caNames.length === 1 ? 'one acceptable CA' : `${check.caNames.length} acceptable CAs`}: ${check.caNames.join('; ')}.`;
}
