/**
 * A small, fixed run of four engines (real shapes of what each engine showed on this machine,
 * invented figures) for the side-by-side golden tests: refusals in the handshake and on the
 * first read, a close without alert, an HTTP 400, the client refusing the server, an unexpected
 * acceptance, an inconclusive timeout, and a mode one engine cannot express. Every run cell's
 * verdict and `how` come from the judge itself, so the sample cannot drift from it.
 */
import type { HandshakeObservation, RequestObservation } from '../../src/clients/types.js';
import type { Engine } from '../../src/engines/registry.js';
import { judge } from '../../src/judge/judge.js';
import { notableObservations } from '../../src/matrix/observations.js';
import { summarise } from '../../src/matrix/summary.js';
import type { CellResult, ExpectedVerdict, MatrixResult } from '../../src/matrix/types.js';
import type { Mode } from '../../src/modes.js';
import type { TlsVersion } from '../../src/servers/types.js';

type Seen = { handshake: HandshakeObservation; request: RequestObservation };

const hello = (tls: TlsVersion): HandshakeObservation => ({
  kind: 'ok',
  tlsVersion: `TLSv${tls}`,
  alpn: 'http/1.1',
  serverHello: true,
});

const SEEN: Record<string, (tls: TlsVersion) => Seen> = {
  ok: (tls) => ({ handshake: hello(tls), request: { kind: 'ok', status: 'HTTP 200', httpStatus: 200 } }),
  http400: (tls) => ({
    handshake: hello(tls),
    request: { kind: 'refused', status: 'HTTP 400', httpStatus: 400 },
  }),
  client: () => ({
    handshake: { kind: 'client_error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', serverHello: true },
    request: { kind: 'skipped' },
  }),
  timeout: (tls) => ({ handshake: hello(tls), request: { kind: 'timeout', detail: 'no answer in 5 s' } }),
};

/** A TLS refusal: in the handshake under TLS 1.2, on the first read under TLS 1.3. */
const refusal =
  (alert: string | null, alert13: string | null = alert) =>
  (tls: TlsVersion): Seen => {
    const name = tls === '1.2' ? alert : alert13;
    if (tls === '1.2')
      return name
        ? { handshake: { kind: 'alert', alert: name, serverHello: true }, request: { kind: 'skipped' } }
        : {
            handshake: { kind: 'closed', code: 'ECONNRESET', serverHello: true },
            request: { kind: 'skipped' },
          };
    return { handshake: hello(tls), request: name ? { kind: 'alert', alert: name } : { kind: 'closed' } };
  };

interface Row {
  identity: string;
  expected: ExpectedVerdict;
  seen: Partial<Record<Engine, (tls: TlsVersion) => Seen>>;
}

const RVC: Row[] = [
  {
    identity: 'none',
    expected: 'rejected',
    seen: {
      node: refusal('handshake_failure', 'certificate_required'),
      openssl: refusal('handshake_failure', 'certificate_required'),
      nginx: SEEN.http400!,
      caddy: refusal('bad_certificate'),
    },
  },
  {
    identity: 'valid',
    expected: 'accepted',
    seen: { node: SEEN.ok!, openssl: SEEN.ok!, nginx: SEEN.ok!, caddy: SEEN.ok! },
  },
  {
    identity: 'untrusted-ca',
    expected: 'rejected',
    seen: {
      node: refusal(null),
      openssl: refusal('unknown_ca'),
      nginx: SEEN.http400!,
      caddy: refusal('bad_certificate'),
    },
  },
  {
    identity: 'expired',
    expected: 'rejected',
    seen: {
      node: refusal(null),
      openssl: (tls) => (tls === '1.2' ? refusal('certificate_expired')(tls) : SEEN.timeout!(tls)),
      nginx: SEEN.http400!,
      caddy: refusal('bad_certificate'),
    },
  },
  // Unexpected: caddy accepts a revoked certificate that this sample expects refused.
  {
    identity: 'revoked',
    expected: 'rejected',
    seen: {
      node: refusal(null),
      openssl: refusal('certificate_revoked'),
      nginx: SEEN.http400!,
      caddy: SEEN.ok!,
    },
  },
  {
    identity: 'wrong-server-trust',
    expected: 'rejected',
    seen: { node: SEEN.client!, openssl: SEEN.client!, nginx: SEEN.client!, caddy: SEEN.client! },
  },
];

const ENGINES: readonly Engine[] = ['node', 'openssl', 'nginx', 'caddy'];
const NGINX_REQUIRE_ANY =
  'nginx has no require-without-verify: `on` verifies the certificate, and optional_no_ca does not require one';

function cellsOf(mode: Mode, rows: readonly Row[], start: number): CellResult[] {
  const cells: CellResult[] = [];
  for (const engine of ENGINES)
    for (const tls of ['1.2', '1.3'] as const)
      for (const row of rows) {
        const base = {
          index: start + cells.length,
          server: `${engine}:${mode}@tls${tls}`,
          mode,
          identity: row.identity,
          protocol: 'https' as const,
          tls,
          engine,
          expected: { verdict: row.expected, reason: 'the sample says so', source: 'oracle' as const },
          serverViews: [],
          durationMs: 10,
        };
        const seen = row.seen[engine];
        if (!seen) {
          cells.push({
            ...base,
            skipped: NGINX_REQUIRE_ANY,
            verdict: null,
            how: 'skipped',
            pass: null,
            handshake: { kind: 'error', code: 'SKIPPED', detail: NGINX_REQUIRE_ANY },
            request: { kind: 'skipped', detail: NGINX_REQUIRE_ANY },
          });
          continue;
        }
        const observed = seen(tls);
        const judgement = judge({ protocol: 'https', ...observed }, { answersProtocol: true });
        const judged = judgement.verdict !== 'inconclusive';
        cells.push({
          ...base,
          ...observed,
          verdict: judgement.verdict,
          how: judgement.how,
          ...(judgement.by ? { refusedBy: judgement.by } : {}),
          ...(judgement.why ? { why: judgement.why } : {}),
          pass: judged ? judgement.verdict === row.expected : null,
        });
      }
  return cells;
}

const REQUIRE_ANY: Row[] = [
  {
    identity: 'none',
    expected: 'rejected',
    seen: {
      node: refusal(null),
      openssl: refusal('handshake_failure', 'certificate_required'),
      caddy: refusal('bad_certificate'),
    },
  },
  { identity: 'valid', expected: 'accepted', seen: { node: SEEN.ok!, openssl: SEEN.ok!, caddy: SEEN.ok! } },
];

export function enginesSample(): MatrixResult {
  const first = cellsOf('require_any_client_cert', REQUIRE_ANY, 0);
  const cells = [...first, ...cellsOf('require_and_verify_client_cert', RVC, first.length)];
  return {
    summary: summarise(cells, 2345),
    cells,
    observations: notableObservations(cells),
    pki: { keyType: 'ecdsa-p256', dir: null, generated: true },
    scenario: null,
    target: null,
  };
}
