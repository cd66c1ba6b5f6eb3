/** Per-route policies in the oracle (a route's own trust anchor, forgives) and the planner. */
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

  it('accepts an expired certificate only when the route forgives expired (allow_expired)', () => {
    expect(verdict('expired', { checksCrl: false })).toBe('rejected');
    const allowed = expectCell(VERIFY, TRAITS.expired!, { checksCrl: false, forgives: ['expired'] });
    expect(allowed).toMatchObject({ verdict: 'accepted', reason: expect.stringMatching(/allow_expired/) });
    // allow_expired forgives the end date only, not the start date nor the issuer.
    expect(verdict('not-yet-valid', { checksCrl: false, forgives: ['expired'] })).toBe('rejected');
    expect(verdict('untrusted-ca', { checksCrl: false, forgives: ['expired'] })).toBe('rejected');
  });

  it("forgives an issuer outside the route's own pool, like any other untrusted issuer", () => {
    const checks = {
      checksCrl: false,
      trustAnchor: 'unrelated' as const,
      forgives: ['untrusted-issuer' as const],
    };
    expect(verdict('valid', checks)).toBe('accepted');
    expect(verdict('expired', checks)).toBe('rejected');
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
        policy: { mode: VERIFY, trust: 'root', forgives: [] },
      },
    },
    {
      name: 'runway/internal',
      mode: VERIFY,
      listener: 'runway',
      route: {
        name: 'internal',
        path: '/internal',
        policy: { mode: VERIFY, trust: 'unrelated', forgives: [] },
      },
    },
    {
      name: 'runway/nginx',
      mode: 'verify_client_cert_if_given',
      listener: 'runway',
      route: {
        name: 'nginx',
        path: '/nginx',
        policy: { mode: 'verify_client_cert_if_given', trust: 'root', forgives: ['untrusted-issuer'] },
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
      ['runway@tls1.2', 'request_client_cert', ['payments', 'internal', 'nginx']],
      ['runway@tls1.3', 'request_client_cert', ['payments', 'internal', 'nginx']],
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
    // The route's forgives reach the oracle: an untrusted issuer passes, as on nginx optional_no_ca.
    const nginx = plan.cells.filter((c) => c.server === 'runway/nginx@tls1.2' && c.protocol === 'https');
    expect(nginx.map((c) => [c.identity, c.expected.verdict])).toEqual([
      ['none', 'accepted'],
      ['valid', 'accepted'],
      ['untrusted-ca', 'accepted'],
    ]);
  });
});
