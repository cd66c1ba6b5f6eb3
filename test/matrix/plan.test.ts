import { describe, expect, it } from 'vitest';
import { planMatrix } from '../../src/matrix/plan.js';
import { MODES } from '../../src/modes.js';
import type { IdentityMaterial } from '../../src/pki/types.js';
import { PROTOCOLS, TLS_VERSIONS } from '../../src/servers/types.js';
import { TRAITS } from '../helpers/traits.js';

const identities: IdentityMaterial[] = Object.entries(TRAITS).map(([name, traits]) => ({
  name,
  description: name,
  serverTrust: '',
  traits,
}));

describe('planMatrix', () => {
  it('plans one server per mode × TLS version and every cell of the default matrix', () => {
    const plan = planMatrix({ modes: MODES, identities, protocols: PROTOCOLS, tls: TLS_VERSIONS });
    expect(plan.servers).toHaveLength(10);
    expect(plan.cells).toHaveLength(5 * 13 * 4 * 2);
    expect(plan.cells.map((cell) => cell.index)).toEqual(plan.cells.map((_, i) => i));
    const servers = new Set(plan.servers.map((server) => server.name));
    expect(plan.cells.every((cell) => servers.has(cell.server) && cell.server.startsWith(cell.mode))).toBe(
      true,
    );
  });

  it('lets an explicit expectation replace the oracle for matching cells only', () => {
    const plan = planMatrix({
      modes: ['require_and_verify_client_cert'],
      identities,
      protocols: ['grpc', 'https'],
      tls: ['1.3'],
      override: (cell) =>
        cell.identity === 'none' && cell.protocol === 'grpc'
          ? { verdict: 'accepted', reason: 'stated by the scenario', source: 'scenario' }
          : undefined,
    });
    const none = plan.cells.filter((cell) => cell.identity === 'none');
    expect(none.map((cell) => [cell.protocol, cell.expected.verdict, cell.expected.source])).toEqual([
      ['grpc', 'accepted', 'scenario'],
      ['https', 'rejected', 'oracle'],
    ]);
  });

  it('passes the CRL switch to the oracle and the servers', () => {
    const plan = planMatrix({
      modes: ['verify_client_cert_if_given'],
      identities: identities.filter((identity) => identity.name === 'revoked'),
      protocols: ['tls'],
      tls: ['1.2'],
      checkCrl: false,
    });
    expect(plan.servers[0]!.checkCrl).toBe(false);
    expect(plan.cells[0]!.expected.verdict).toBe('accepted');
  });
});

describe('planMatrix with named servers', () => {
  it('runs each named server once per TLS version it serves, with only its protocols', () => {
    const plan = planMatrix({
      modes: [],
      servers: [
        { name: 'plain', mode: 'no_client_certs', protocols: ['grpc'], tls: ['1.3'] },
        { name: 'mtls', mode: 'require_and_verify_client_cert', checkCrl: false },
      ],
      identities: identities.filter((identity) => ['valid', 'revoked'].includes(identity.name)),
      protocols: ['grpc', 'https'],
      tls: ['1.2', '1.3'],
    });
    expect(plan.servers.map((server) => server.name)).toEqual(['plain@tls1.3', 'mtls@tls1.2', 'mtls@tls1.3']);
    expect(plan.cells.filter((cell) => cell.server.startsWith('plain')).map((c) => c.protocol)).toEqual([
      'grpc',
      'grpc',
    ]);
    const revoked = plan.cells.filter(
      (cell) => cell.server.startsWith('mtls') && cell.identity === 'revoked',
    );
    expect(revoked).toHaveLength(4);
    expect(revoked.every((cell) => cell.expected.verdict === 'accepted')).toBe(true);
  });
});
