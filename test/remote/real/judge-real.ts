/**
 * Shared by the real-server tests: a PKI written to disk for the servers to load, and one
 * case = one real server judged by `matrix --target` (right and wrong expectations) and named
 * by `probe`. What the tests compare against is what the server really is, never our output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { notGreen } from '../../../src/matrix/summary.js';
import type { MatrixResult } from '../../../src/matrix/types.js';
import type { Behaviour, Forgivable, Mode } from '../../../src/modes.js';
import { loadPki } from '../../../src/pki/load.js';
import type { PkiMaterial } from '../../../src/pki/types.js';
import { writePki } from '../../../src/pki/write.js';
import { meetsExpectation } from '../../../src/matrix/verdict.js';
import { targetExpectation } from '../../../src/remote/expect.js';
import { targetMatrix } from '../../../src/remote/matrix.js';
import { probeTarget } from '../../../src/remote/probe.js';
import { type Protocol, PROTOCOLS, TLS_VERSIONS, type TlsVersion } from '../../../src/servers/types.js';
import type { RealServer } from '../../helpers/real-servers/index.js';
import { sharedPki } from '../../helpers/shared-pki.js';

export interface WrittenPki {
  dir: string;
  pki: PkiMaterial;
  dispose(): Promise<void>;
}

export async function writtenPki(): Promise<WrittenPki> {
  const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-real-'));
  try {
    await writePki(await sharedPki(), join(dir, 'pki'));
    const pki = await loadPki(join(dir, 'pki'));
    return { dir: join(dir, 'pki'), pki, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A file's PKI on disk for its servers, written before its tests and removed after them;
 * nothing is written when the server under test is not installed (`absent`).
 */
export function usePki(absent: string | undefined): { readonly dir: string; readonly pki: PkiMaterial } {
  let written: WrittenPki | undefined;
  beforeAll(async () => {
    if (!absent) written = await writtenPki();
  });
  afterAll(async () => written?.dispose());
  return {
    get dir() {
      return written!.dir;
    },
    get pki() {
      return written!.pki;
    },
  };
}

export interface RealCase {
  start(): Promise<RealServer>;
  /** What the server really is. */
  behaviour: Behaviour;
  /** A behaviour whose promise differs for the standard identities. */
  wrong: Behaviour;
  checksCrl: boolean;
  /** The TLS versions it serves. */
  serves: readonly TlsVersion[];
  /** It answers gRPC (only the grpc-js server does; the others answer HTTP/2 with a page). */
  servesGrpc?: boolean;
  /** The identities and protocols of the target matrix; default all of them (see DECIDING). */
  identities?: readonly string[];
  protocols?: readonly Protocol[];
  /** Also name it with `probe` (default true). */
  probe?: boolean;
}

/**
 * Enough of a matrix to tell the modes apart and to judge what the target's configuration
 * decides (revoked: CRLs; chain-no-intermediate: root-only trust), over a handshake refusal
 * (tls) and an HTTP one (https). Each server kind also runs one case with every identity and
 * protocol, for what does not depend on the mode: key types, the client refusing the server,
 * h2 and gRPC.
 */
export const DECIDING: Pick<RealCase, 'identities' | 'protocols'> = {
  identities: ['none', 'valid', 'untrusted-ca', 'expired', 'revoked', 'chain-no-intermediate'],
  protocols: ['tls', 'https'],
};

export const behaviour = (mode: Mode, ...forgives: Forgivable[]): Behaviour => ({ mode, forgives });

/** The cells that went wrong, in words, for a failure message. */
export function explain(result: MatrixResult): string {
  const bad = result.cells.filter((cell) => cell.pass === false || cell.verdict === 'inconclusive');
  return [
    ...result.observations,
    ...bad
      .slice(0, 12)
      .map(
        (cell) =>
          `${cell.identity} × ${cell.protocol} × TLS ${cell.tls}: expected ${cell.expected.verdict}, observed ${cell.verdict}: ${cell.how}${cell.why ? ` (${cell.why})` : ''}`,
      ),
  ].join('\n');
}

export async function judgeRealServer(pki: PkiMaterial, real: RealCase): Promise<void> {
  const server = await real.start();
  try {
    const target = { host: server.host, port: server.port };
    const common = {
      target,
      pki,
      // Every server here is configured with the PKI's client CA.
      pkiTrusted: true,
      ...(real.identities ? { identities: real.identities } : {}),
      protocols: real.protocols ?? PROTOCOLS,
      tls: TLS_VERSIONS,
      checksCrl: real.checksCrl,
      trustsIntermediate: false,
      concurrency: 16,
      timeoutMs: 8000,
    };
    const right = await targetMatrix({ ...common, expect: real.behaviour });
    expect(notGreen(right.summary, right.problems), `${server.label}\n${explain(right)}`).toBeNull();
    // Nothing is judged on a TLS version the server does not serve.
    for (const cell of right.cells.filter((c) => !real.serves.includes(c.tls)))
      expect(cell.notServed, `${server.label}: ${cell.identity} × TLS ${cell.tls}`).toBeDefined();
    expect(right.summary.passed).toBeGreaterThan(0);
    // gRPC is judged only where a gRPC server answers; a web page over HTTP/2 is not gRPC.
    const grpc = right.cells.filter((c) => c.protocol === 'grpc' && real.serves.includes(c.tls));
    expect(
      grpc
        .filter((c) => (c.notServed === undefined) !== (real.servesGrpc ?? false))
        .map((c) => c.notServed ?? c.how),
      server.label,
    ).toEqual([]);

    // The same observations judged against a wrong behaviour must fail: what `--expect-mode`
    // with a wrong mode does, without running the cells again.
    const knowledge = { checksCrl: real.checksCrl, trustsIntermediate: false, pkiTrusted: true };
    const traits = new Map(pki.identities.map((identity) => [identity.name, identity.traits]));
    const wrongFailures = right.cells.filter(
      (cell) =>
        (cell.verdict === 'accepted' || cell.verdict === 'rejected') &&
        meetsExpectation(
          targetExpectation(real.wrong, traits.get(cell.identity)!, knowledge).verdict,
          cell.verdict,
        ) === false,
    );
    expect(wrongFailures.length, `${server.label} judged against ${real.wrong.mode}`).toBeGreaterThan(0);

    if (real.probe === false) return;
    const probe = await probeTarget({ target, pki, timeoutMs: 8000 });
    expect(
      { mode: probe.mode, forgives: probe.forgives, tls: probe.tls_versions },
      `${server.label}\n${probe.evidence.join('\n')}\n${probe.notes.join('\n')}`,
    ).toEqual({ mode: real.behaviour.mode, forgives: [...real.behaviour.forgives], tls: real.serves });
  } finally {
    await server.close();
  }
}
