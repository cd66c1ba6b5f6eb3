/** What every real-server fixture returns, whatever runs behind it. */

/** TLS versions a fixture serves: pinned to one, or both (1.2 and 1.3). */
export type TlsChoice = '1.2' | '1.3' | 'both';

export type RealServerKind = 'nginx' | 'openssl-www' | 'jdk' | 'grpc-js' | 'go';
export const REAL_SERVER_KINDS: readonly RealServerKind[] = ['nginx', 'openssl-www', 'jdk', 'grpc-js', 'go'];

export interface RealServer {
  kind: RealServerKind;
  /** What runs and how it is configured, for test names and failure messages. */
  label: string;
  host: '127.0.0.1';
  port: number;
  /** The child process (its process group leader), when there is one. */
  pid?: number;
  /** Idempotent: kills the process group, awaits its exit and removes the temp dir. */
  close(): Promise<void>;
}

/** The label suffix for a TLS choice, e.g. 'TLS 1.2' or 'TLS 1.2+1.3'. */
export function tlsLabel(tls: TlsChoice): string {
  return tls === 'both' ? 'TLS 1.2+1.3' : `TLS ${tls}`;
}
