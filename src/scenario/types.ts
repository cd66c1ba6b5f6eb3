/** A scenario after loading: validated, mode aliases resolved, paths absolute. */
import type { ServerRequest } from '../matrix/plan.js';
import type { ExpectedVerdict } from '../matrix/types.js';
import type { Mode } from '../modes.js';
import type { KeyType } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import type { Position } from './locate.js';
import type { KeystoreFormat } from './schema.js';
import type { ScenarioTarget } from './target.js';

export type ScenarioPkiSource =
  { source: 'generate'; keyType: KeyType; days: number } | { source: 'dir'; dir: string };

export type ScenarioPki = ScenarioPkiSource & {
  /** How servers and clients load their material: PEM text, or the PKCS#12 keystores. */
  keystores: KeystoreFormat;
  p12Password: string;
};

export const SELECTORS = ['server', 'mode', 'identity', 'protocol', 'tls'] as const;
export type Selector = (typeof SELECTORS)[number];

export interface ScenarioExpectation {
  server?: string;
  mode?: Mode;
  identity?: string;
  protocol?: Protocol;
  tls?: TlsVersion;
  verdict: Exclude<ExpectedVerdict, 'either'>;
  reason: string;
  /** Where it is written, for errors found once the PKI is known. */
  position: Position;
  /** Where each selector it uses is written. */
  selectorPositions: Partial<Record<Selector, Position>>;
}

export interface Scenario {
  /** The path as the user gave it, for messages. */
  file: string;
  /** Absolute path. */
  path: string;
  name: string;
  description: string;
  pki: ScenarioPki;
  /** Mode aliases resolved to canonical names; defaults filled in (one per mode when absent). */
  servers: ServerRequest[];
  /** A server the user runs, checked instead of built-in servers (then `servers` is empty). */
  target?: ScenarioTarget;
  /** Identity names; undefined means every identity of the PKI. */
  identities?: string[];
  protocols: Protocol[];
  tls: TlsVersion[];
  checkCrl: boolean;
  expect: ScenarioExpectation[];
  /** Positions of `identities[i]`, for checks against a PKI loaded from a folder. */
  identityPositions: Position[];
}
