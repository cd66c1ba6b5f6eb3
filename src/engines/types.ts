/**
 * Engines, as data. A driver is one table per engine: what runs, the Debian package that
 * provides it, how each mode is spelled in its own configuration (or why it cannot be), the
 * protocols it serves, whether it checks CRLs, and where it departs from a mode's promise
 * (its deviations), each with a reason. Planning and judging read these tables only; a
 * driver's start() is called by the run.
 */
import type { RefusedBy } from '../judge/judge.js';
import type { Behaviour, Forgivable, Mode } from '../modes.js';
import type { ServerRoute } from '../servers/routes.js';
import type { RunningServer, ServerCredentials } from '../servers/server.js';
import type { Protocol, ServerView, TlsVersion } from '../servers/types.js';

/** How a mode is written in the engine's own configuration, or why it cannot be. */
export type ModeSupport = { setting: string } | { inexpressible: string };

/**
 * Which client certificates a deviation is about: none sent, one that verifies, or one that
 * fails verification for this reason (the oracle's failure kinds).
 */
export type CertificateCase = 'none' | 'verifies' | Forgivable | 'revoked' | 'no-crl';

/**
 * A known departure from the mode's promise. It applies to the cells that match every field
 * given (an absent field matches all). A stated deviation is expected; a departure observed
 * but not stated here fails the cell.
 */
export interface Deviation {
  modes?: readonly Mode[];
  protocols?: readonly Protocol[];
  tls?: readonly TlsVersion[];
  certificates?: readonly CertificateCase[];
  /** Only when the server checks CRLs (true) or only when it does not (false). */
  checksCrl?: boolean;
  /**
   * The verdict departs: these cells are judged as a server with this behaviour would be. The
   * first matching deviation with `behaves` applies.
   */
  behaves?: Behaviour;
  /** The refusal departs: it comes from here (e.g. 'application': an HTTP 400 after the handshake). */
  refusedBy?: RefusedBy;
  /** Why, in words a user can check against the engine's documentation. */
  reason: string;
}

export interface EngineStartOptions {
  mode: Mode;
  tls: TlsVersion;
  /** Check client certificates against the PKI's CRLs (only where the driver's crl is true). */
  checkCrl: boolean;
  pki: ServerCredentials;
  /** Per-route client mTLS (the node engine only). */
  routes?: readonly ServerRoute[];
  signal?: AbortSignal;
}

export interface EngineServer extends RunningServer {
  engine: string;
  /** The port that serves this protocol (an external engine may use one process per protocol). */
  portFor(protocol: Protocol): number;
  /** Child processes behind the server (external engines), for cleanup checks. */
  pids?(): number[];
  /** Temporary folders of the server's configuration and keys (external engines); removed by close(). */
  dirs?(): string[];
}

export interface EngineDriver<Name extends string = string> {
  name: Name;
  /** What runs, in a few words: "nginx (ssl_verify_client)". */
  title: string;
  /** The program run, null for the built-in servers; overridable by MTLS_LAB_<NAME>. */
  program: string | null;
  /** The Debian package that provides it. */
  package: string | null;
  modes: Readonly<Record<Mode, ModeSupport>>;
  /** true: served; a string: why not. */
  protocols: Readonly<Record<Protocol, true | string>>;
  /** true: checks the CRL when asked; a string: why it cannot. */
  crl: true | string;
  deviations: readonly Deviation[];
  /**
   * What the server reported about the connection in its answer (the response body), read
   * into a view; undefined when the answer holds none.
   */
  viewFromAnswer?(answer: unknown, mode: Mode): Partial<ServerView> | undefined;
  /** Why it cannot run here (with the package to install); undefined when it can. */
  unavailable(): Promise<string | undefined>;
  start(options: EngineStartOptions): Promise<EngineServer>;
}

/** Every mode written the same way: for engines that express all five natively. */
export const allModes = (setting: (mode: Mode) => string): Record<Mode, ModeSupport> => ({
  no_client_certs: { setting: setting('no_client_certs') },
  request_client_cert: { setting: setting('request_client_cert') },
  require_any_client_cert: { setting: setting('require_any_client_cert') },
  verify_client_cert_if_given: { setting: setting('verify_client_cert_if_given') },
  require_and_verify_client_cert: { setting: setting('require_and_verify_client_cert') },
});

export const inexpressible = (support: ModeSupport): string | undefined =>
  'inexpressible' in support ? support.inexpressible : undefined;
