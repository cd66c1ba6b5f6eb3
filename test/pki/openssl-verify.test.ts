/**
 * An independent verifier agrees with the PKI: `openssl verify -x509_strict` passes every good
 * certificate for its purpose and fails every defective one for its intended reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { writePki } from '../../src/pki/write.js';

const hasOpenssl = await execa('openssl', ['version'], { reject: false, timeout: 10_000 })
  .then((run) => run.exitCode === 0)
  .catch(() => false);

let base: string;
let dir: string;

beforeAll(async () => {
  if (!hasOpenssl) return;
  base = await mkdtemp(join(tmpdir(), 'mtls-lab-openssl-'));
  dir = join(base, 'pki');
  await writePki(await generatePki({ hosts: ['pki.example.test'] }), dir);
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

interface Verdict {
  ok: boolean;
  /** OpenSSL's error number and text of the first error, e.g. "10 certificate has expired". */
  error?: string;
}

async function verify(cert: string, ...extra: string[]): Promise<Verdict> {
  const run = await execa('openssl', ['verify', '-x509_strict', '-CAfile', 'ca/root.crt', ...extra, cert], {
    cwd: dir,
    reject: false,
    timeout: 20_000,
  });
  const error = /error (\d+) at \d+ depth lookup: (.*)/.exec(String(run.stderr) + String(run.stdout));
  return {
    ok: run.exitCode === 0 && String(run.stdout).includes(': OK'),
    ...(error ? { error: `${error[1]} ${error[2]}` } : {}),
  };
}

// OpenSSL 3 says "unsuitable", 1.1 said "unsupported".
const purposeError = expect.stringMatching(/^26 uns(uitable|upported) certificate purpose$/);
const client = (name: string, ...extra: string[]) =>
  verify(`clients/${name}.crt`, '-purpose', 'sslclient', ...extra);
const withIntermediate = ['-untrusted', 'ca/intermediate.crt'];

describe.skipIf(!hasOpenssl)(
  hasOpenssl ? 'openssl verify' : 'openssl verify — skipped: openssl is not installed',
  () => {
    it('passes every good client certificate for sslclient, and the server for sslserver and its names', async () => {
      const verdicts = await Promise.all([
        client('valid'),
        client('chain', ...withIntermediate),
        client('rsa'),
        client('ed25519'),
        client('wrong-server-trust'),
        client('revoked'),
        verify('server/server.crt', '-purpose', 'sslserver', '-verify_hostname', 'localhost'),
        verify('server/server.crt', '-purpose', 'sslserver', '-verify_ip', '127.0.0.1'),
        verify('server/server.crt', '-purpose', 'sslserver', '-verify_ip', '::1'),
        verify('server/server.crt', '-purpose', 'sslserver', '-verify_hostname', 'pki.example.test'),
        verify('ca/intermediate.crt'),
      ]);
      expect(verdicts).toEqual(verdicts.map(() => ({ ok: true })));
    });

    it('fails every defective certificate for its intended reason', async () => {
      const verdicts = {
        expired: await client('expired'),
        notYetValid: await client('not-yet-valid'),
        wrongEku: await client('wrong-eku'),
        revoked: await client('revoked', '-crl_check', '-CRLfile', 'ca/root.crl'),
        untrustedCa: await client('untrusted-ca'),
        chainNoIntermediate: await client('chain-no-intermediate'),
        selfSigned: await client('self-signed'),
        serverAsClient: await verify('server/server.crt', '-purpose', 'sslclient'),
        wrongHost: await verify(
          'server/server.crt',
          '-purpose',
          'sslserver',
          '-verify_hostname',
          'other.test',
        ),
      };
      expect(verdicts).toEqual({
        expired: { ok: false, error: '10 certificate has expired' },
        notYetValid: { ok: false, error: '9 certificate is not yet valid' },
        wrongEku: { ok: false, error: purposeError },
        revoked: { ok: false, error: '23 certificate revoked' },
        untrustedCa: { ok: false, error: '20 unable to get local issuer certificate' },
        chainNoIntermediate: { ok: false, error: '20 unable to get local issuer certificate' },
        selfSigned: { ok: false, error: '18 self-signed certificate' },
        serverAsClient: { ok: false, error: purposeError },
        wrongHost: { ok: false, error: '62 hostname mismatch' },
      });
    });

    it('needs the intermediate CRL too when every certificate in the chain is checked', async () => {
      const both = await client('chain', ...withIntermediate, '-crl_check_all', '-CRLfile', 'crl.pem');
      const rootOnly = await client(
        'chain',
        ...withIntermediate,
        '-crl_check_all',
        '-CRLfile',
        'ca/root.crl',
      );
      expect(both).toEqual({ ok: true });
      expect(rootOnly).toEqual({ ok: false, error: '3 unable to get certificate CRL' });
    });
  },
);
