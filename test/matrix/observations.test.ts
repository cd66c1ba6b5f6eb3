/** Observations compare protocols on one server, never across servers or engines. */
import { describe, expect, it } from 'vitest';
import { notableObservations } from '../../src/matrix/observations.js';
import type { CellResult } from '../../src/matrix/types.js';
import type { Protocol } from '../../src/servers/types.js';
import { SAMPLE_CELLS } from '../helpers/sample-result.js';

const accepted = SAMPLE_CELLS[0]!;

function cell(
  server: string,
  protocol: Protocol,
  verdict: 'accepted' | 'rejected',
  engine?: string,
): CellResult {
  return {
    ...accepted,
    server,
    protocol,
    identity: 'revoked',
    verdict,
    how: verdict === 'accepted' ? 'echo' : 'alert certificate_revoked in the handshake',
    ...(engine ? { engine: engine as CellResult['engine'] } : {}),
  };
}

const disagreement = (cells: CellResult[]) =>
  notableObservations(cells, { serverViews: false }).filter((note) => note.startsWith('Protocols disagree'));

describe('protocols disagree', () => {
  it('is noted when one server answers one identity differently over two protocols', () => {
    expect(
      disagreement([
        cell('require_and_verify_client_cert@tls1.3', 'tls', 'rejected'),
        cell('require_and_verify_client_cert@tls1.3', 'h2', 'accepted'),
      ]),
    ).toEqual([
      'Protocols disagree in 1 case(s), e.g. require_and_verify_client_cert × revoked over TLS 1.3.',
    ]);
  });

  it('is not noted when two engines of one mode differ (one checks no CRL)', () => {
    expect(
      disagreement([
        cell('node:require_and_verify_client_cert@tls1.3', 'https', 'rejected', 'node'),
        cell('node:require_and_verify_client_cert@tls1.3', 'h2', 'rejected', 'node'),
        cell('caddy:require_and_verify_client_cert@tls1.3', 'https', 'accepted', 'caddy'),
        cell('caddy:require_and_verify_client_cert@tls1.3', 'h2', 'accepted', 'caddy'),
      ]),
    ).toEqual([]);
  });

  it('is not noted when two scenario servers of one mode differ', () => {
    expect(
      disagreement([
        cell('gateway-crl@tls1.3', 'https', 'rejected'),
        cell('gateway-no-crl@tls1.3', 'https', 'accepted'),
      ]),
    ).toEqual([]);
  });
});
