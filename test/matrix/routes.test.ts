/** Per-route policies in the oracle (a route's own trust anchor, allow_expired) and the planner. */
import { describe, expect, it } from 'vitest';
import { expectCell } from '../../src/matrix/oracle.js';
import { planMatrix, ROUTE_UNSERVED, type ServerRequest } from '../../src/matrix/plan.js';
import type { IdentityMaterial } from '../../src/pki/types.js';
import { TRAITS } from '../helpers/traits.js';

const VERIFY = 'require_and_verify_client_cert';
const verdict = (identity: string, checks: Parameters<typeof expectCell>[2]) =>
  expectCell(VERIFY, TRAITS[identity]!, checks).verdict;

describe('the oracle for a route', () => {
  it("judges chains against the route's own anchor", () => {
    const unrelated = { checksCrl: false, trustAnchor: 'unrelated' as const };
    expect(verdict('untrusted-ca', unrelated)).toBe('accepted');
    expect(verdict('valid', unrelated)).toBe('rejected');
    expect(expectCell(VERIFY, TRAITS.valid!, unrelated).reason).toMatch(/outside the pool.*unrelated CA/);
    const intermediate = { checksCrl: false, trustAnchor: 'intermediate' as const };
    expect(verdict('chain-no-intermediate', intermediate)).toBe('accepted');
    expect(verdict('chain', intermediate)).toBe('accepted');
    expect(verdict('valid', intermediate)).toBe('rejected');
    expect(verdict('self-signed', intermediate)).toBe('rejected');
  });

  it('accepts an expired certificate only with allowExpired', () => {
    expect(verdict('expired', { checksCrl: false })).toBe('rejected');
    const allowed = expectCell(VERIFY, TRAITS.expired!, { checksCrl: false, allowExpired: true });
    expect(allowed).toMatchObject({ verdict: 'accepted', reason: expect.stringMatching(/allow_expired/) });
    // allow_expired forgives the date only, not the issuer.
    expect(verdict('not-yet-valid', { checksCrl: false, allowExpired: true })).toBe('rejected');
  });
});

describe('planning routes', () => {
  const identities: IdentityMaterial[] = ['none', 'valid', 'untrusted-ca'].map((name) => ({
    name,
    description: name,
    serverTrust: '',
    traits: TRAITS[name]!,
  }));
  const servers: ServerRequest[] = [
    {
      name: 'runway/payments',
      mode: VERIFY,
      listener: 'runway',
      route: {
        name: 'payments',
        path: '/payments',
        policy: { mode: VERIFY, trust: 'root', allowExpired: false },
      },
    },
    {
      name: 'runway/internal',
      mode: VERIFY,
      listener: 'runway',
      route: {
        name: 'internal',
        path: '/internal',
        policy: { mode: VERIFY, trust: 'unrelated', allowExpired: false },
      },
    },
    { name: 'plain', mode: 'request_client_cert' },
  ];

  it('puts the routes of one listener onto one server per TLS version', () => {
    const plan = planMatrix({
      modes: [],
      servers,
      identities,
      protocols: ['https', 'tls'],
      tls: ['1.2', '1.3'],
    });
    expect(plan.servers.map((s) => [s.name, s.mode, s.routes?.map((r) => r.name)])).toEqual([
      ['runway@tls1.2', 'request_client_cert', ['payments', 'internal']],
      ['runway@tls1.3', 'request_client_cert', ['payments', 'internal']],
      ['plain@tls1.2', 'request_client_cert', undefined],
      ['plain@tls1.3', 'request_client_cert', undefined],
    ]);
    const internal = plan.cells.filter((cell) => cell.server === 'runway/internal@tls1.3');
    expect(internal.map((c) => [c.identity, c.protocol, c.expected.verdict, c.skipped ?? null])).toEqual([
      ['none', 'https', 'rejected', null],
      ['none', 'tls', 'rejected', ROUTE_UNSERVED],
      ['valid', 'https', 'rejected', null],
      ['valid', 'tls', 'rejected', ROUTE_UNSERVED],
      ['untrusted-ca', 'https', 'accepted', null],
      ['untrusted-ca', 'tls', 'accepted', ROUTE_UNSERVED],
    ]);
    expect(new Set(internal.map((cell) => [cell.listener, cell.path].join(' ')))).toEqual(
      new Set(['runway@tls1.3 /internal']),
    );
    expect(plan.cells.filter((cell) => cell.server.startsWith('plain')).every((c) => !c.listener)).toBe(true);
  });
});
