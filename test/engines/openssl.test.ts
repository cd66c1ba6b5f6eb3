/**
 * `openssl s_server` as a server engine, against the real clients: every mode × TLS version
 * × identity over tls and https. Asserts the verdict the mode promises and where the
 * rejection was seen (which alert, in the handshake or on the first read).
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runClient } from '../../src/clients/run-client.js';
import { opensslAvailable, startOpensslServer } from '../../src/engines/openssl.js';
import { judge } from '../../src/judge/judge.js';
import { expectCell } from '../../src/matrix/oracle.js';
import { MODES, type Mode } from '../../src/modes.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import type { TlsVersion } from '../../src/servers/types.js';
import { enginePki } from './engine-fixture.js';

const available = await opensslAvailable();
const IDENTITIES = ['none', 'valid', 'chain', 'self-signed', 'expired', 'revoked'] as const;
const PROTOCOLS = ['tls', 'https'] as const;

/** The alert s_server sends for each rejected identity (observed with OpenSSL 3.0). */
const ALERT: Record<(typeof IDENTITIES)[number], string> = {
  none: 'handshake_failure',
  valid: '',
  chain: '',
  'self-signed': 'unknown_ca',
  expired: 'certificate_expired',
  revoked: 'certificate_revoked',
};

/** TLS 1.2 rejects inside the handshake; TLS 1.3 after the client is done, on its first read. */
function expectedPlace(identity: (typeof IDENTITIES)[number], tls: TlsVersion): string {
  if (tls === '1.2') return `alert ${ALERT[identity]} in the handshake`;
  return `alert ${identity === 'none' ? 'certificate_required' : ALERT[identity]} on the first read`;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let pki: PkiMaterial;
beforeAll(async () => {
  if (available.ok) pki = await enginePki();
});

describe.skipIf(!available.ok)(
  `openssl s_server engine (${available.ok ? available.version : available.reason})`,
  () => {
    const cases = MODES.flatMap((mode) =>
      (['1.2', '1.3'] as const).map((tls) => [mode, tls] as [Mode, TlsVersion]),
    );
    it.each(cases)(
      '%s over TLS %s: verdicts as promised, rejections where s_server sends them',
      async (mode, tls) => {
        const server = await startOpensslServer({ mode, pki, tls, checkCrl: true });
        const pids = server.pids?.() ?? [];
        const dirs = server.dirs?.() ?? [];
        try {
          expect(pids).toHaveLength(2);
          const attempts = IDENTITIES.flatMap((name) =>
            PROTOCOLS.map(async (protocol) => {
              const identity = pki.identities.find((candidate) => candidate.name === name)!;
              const result = await runClient({
                protocol,
                host: server.host,
                port: server.portFor(protocol),
                tls,
                certChain: identity.chain,
                key: identity.key,
                serverTrust: identity.serverTrust,
                timeoutMs: 5000,
              });
              return { name, protocol, identity, result };
            }),
          );
          for (const { name, protocol, identity, result } of await Promise.all(attempts)) {
            const label = `${mode} ${name} ${protocol} TLS ${tls}`;
            const oracle = expectCell(mode, identity.traits, { checksCrl: true });
            const judgement = judge(result, { answersProtocol: true });
            expect(judgement.verdict, label).toBe(oracle.verdict);
            if (judgement.verdict === 'accepted') {
              expect(result.request.status, label).toBe(protocol === 'tls' ? 'echo' : 'HTTP 200');
              // -rev answers the request's first line reversed; -www answers with its HTML status page.
              if (protocol === 'tls') expect(String(result.answer), label).toMatch(/^\r?1\.1\/PTTH \/ TEG/);
              else expect(String(result.answer), label).toContain('s_server');
            } else {
              expect(judgement.how, label).toBe(expectedPlace(name, tls));
            }
          }
          expect(server.views()).toEqual([]);
        } finally {
          await server.close();
        }
        expect(pids.filter(alive)).toEqual([]);
        expect(dirs).toHaveLength(2);
        expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
      },
    );
  },
);

describe.skipIf(!available.ok)('openssl s_server engine start-up', () => {
  it("fails with s_server's own words when it exits before accepting", async () => {
    const broken = {
      ...pki,
      server: { ...pki.server, key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' },
    };
    await expect(
      startOpensslServer({ mode: 'request_client_cert', pki: broken, tls: '1.3', checkCrl: false }),
    ).rejects.toThrow(/openssl s_server -(rev|www) exited before it was ready: .*key/is);
  });
});

describe.skipIf(available.ok)('openssl s_server engine', () => {
  it('is skipped: openssl is not installed', () => {
    expect(available.ok).toBe(false);
  });
});
