/** Data of a matrix run: what was planned, what was expected, what was observed. */
import type { HandshakeObservation, RequestObservation } from '../clients/types.js';
import type { Engine } from '../engines/registry.js';
import type { RefusedBy, Verdict } from '../judge/judge.js';
import type { Forgivable, Mode } from '../modes.js';
import type { Protocol, ServerView, TlsVersion } from '../servers/types.js';

export type { Verdict } from '../judge/judge.js';

/**
 * 'either' is for an outcome that hangs on something that cannot be known from outside,
 * such as whether a remote target checks CRLs; such a cell passes whatever it observes.
 */
export type ExpectedVerdict = 'accepted' | 'rejected' | 'either';

export interface Expectation {
  verdict: ExpectedVerdict;
  /** Why, in words, from the mode's promise and the identity's traits (or a scenario's reason). */
  reason: string;
  source: 'oracle' | 'scenario';
  /**
   * For a rejection from an engine: who must refuse (the server in TLS, its application, or
   * the client). A rejection by anyone else is a departure the engine does not state: a FAIL.
   */
  refusedBy?: RefusedBy;
  /** The engine's stated deviations that shaped this expectation (engines/types.ts), in words. */
  deviations?: string[];
}

/** Which of the PKI's CAs a route's pool holds. */
export type TrustAnchor = 'root' | 'intermediate' | 'unrelated';

/** A route's client mTLS policy (Runway's `client_mtls`), as data. */
export interface RoutePolicySpec {
  /** Canonical mode: verify -> require_and_verify_client_cert, and so on. */
  mode: Mode;
  /** The route's CA pool; null for modes that do not verify. */
  trust: TrustAnchor | null;
  /** Verification failures the route lets through (allow_expired: expired); sorted, no duplicates. */
  forgives: Forgivable[];
}

/** One route of a per-route listener; policy null = no client_mtls. */
export interface RouteSpec {
  name: string;
  path: string;
  policy: RoutePolicySpec | null;
}

/** One server the matrix starts: one per mode × TLS version, shared by its cells. */
export interface ServerSpec {
  name: string;
  mode: Mode;
  tls: TlsVersion;
  /** The server checks the PKI's CRLs. */
  checkCrl: boolean;
  /** What implements it; default 'node' (the built-in servers). */
  engine?: Engine;
  /** Per-route client mTLS (built-in Node server only); the listener then requests certificates. */
  routes?: RouteSpec[];
}

export interface CellSpec {
  /** Position in the plan; reports keep this order. */
  index: number;
  server: string;
  mode: Mode;
  identity: string;
  protocol: Protocol;
  tls: TlsVersion;
  expected: Expectation;
  /** The server's engine, when not the built-in Node one. */
  engine?: Engine;
  /** The running server (ServerSpec name) when it is not `server`: a route's shared listener. */
  listener?: string;
  /** Path the client requests (a route's path); default '/'. */
  path?: string;
  /**
   * Why the cell is not run (its engine does not serve the protocol, or is not installed).
   * A skipped cell counts as neither passed nor failed.
   */
  skipped?: string;
  /**
   * Why the cell is not run against a target: it does not serve this protocol or TLS version
   * (with the evidence). Reported, never judged.
   */
  notServed?: string;
}

export interface CellResult extends CellSpec {
  /** null for a cell that was not run (skipped, not served). */
  verdict: Verdict | null;
  /** Where and how the verdict showed itself ("alert bad_certificate in the handshake"). */
  how: string;
  /** For a rejection: who refused (the server in TLS, its application, or the client). */
  refusedBy?: RefusedBy;
  /** For an inconclusive cell: why the observation proves nothing. */
  why?: string;
  /** Met its expectation; null when not judged (skipped, not served, inconclusive). */
  pass: boolean | null;
  handshake: HandshakeObservation;
  request: RequestObservation;
  /** What the server recorded of this cell's connection(s); empty when it saw none. */
  serverViews: ServerView[];
  durationMs: number;
}

export interface MatrixSummary {
  cells: number;
  /** Cells judged (accepted or rejected) that met their expectation / did not. */
  passed: number;
  failed: number;
  /** Cells run whose observation proved nothing (timeout, server error, ...): never a pass. */
  inconclusive: number;
  /** Cells not run, each with its reason (CellSpec.skipped). */
  skipped: number;
  /** Cells not run because the target does not serve their protocol or TLS version. */
  notServed: number;
  accepted: number;
  rejected: number;
  modes: Mode[];
  identities: string[];
  protocols: Protocol[];
  tls: TlsVersion[];
  durationMs: number;
}

export interface MatrixResult {
  summary: MatrixSummary;
  cells: CellResult[];
  /** Notable facts drawn from the observations themselves (never canned text). */
  observations: string[];
  /**
   * Run-level problems that keep the run from being green whatever its cells say, e.g. a
   * target that did not answer in a TLS version at all.
   */
  problems?: string[];
  pki: { keyType: string; dir: string | null; generated: boolean };
  /** The scenario's name, when the run came from one. */
  scenario: string | null;
  /** host:port of the user's server for `--target` runs (no server views then). */
  target: string | null;
}
