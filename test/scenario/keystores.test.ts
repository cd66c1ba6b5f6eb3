/**
 * preparePki(): PEM and PKCS#12 material, generated or from a folder, proven usable by a real
 * Node TLS server and client on loopback; temporary keystores are removed on dispose.
 */
import { X509Certificate } from 'node:crypto';
import { copyFile, cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { loadScenario } from '../../src/scenario/load.js';
import { preparePki } from '../../src/scenario/pki.js';
import { scenarioPlanInput } from '../../src/scenario/plan.js';
import type { Scenario } from '../../src/scenario/types.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let dir: string;
let written: PkiMaterial;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-scenario-test-'));
  written = await pkiPerWorker();
  await writePki(written, join(dir, 'pki'), { p12Password: 'changeit' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scenarioFrom(name: string, lines: string[]): Promise<Scenario> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `${['name: x', 'description: y', ...lines].join('\n')}\n`);
  return loadScenario(file);
}

/**
 * One mTLS handshake and echo between a verifying server built from `pki` and the `valid`
 * client; resolves with what each side saw. Everything is closed whatever happens.
 */
async function mtlsEcho(pki: PkiMaterial) {
  const client = pki.identities.find((identity) => identity.name === 'valid')!;
  const seen: { authorized?: boolean; fingerprint?: string } = {};
  const server = tls.createServer(
    {
      key: pki.server.key,
      cert: pki.server.chain,
      ca: pki.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => {
      seen.authorized = socket.authorized;
      seen.fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.on('error', () => {});
      socket.pipe(socket);
    },
  );
  let socket: tls.TLSSocket | undefined;
  try {
    await new Promise<void>((done, fail) => server.listen(0, '127.0.0.1', done).once('error', fail));
    const { port } = server.address() as AddressInfo;
    const echoed = await new Promise<string>((done, fail) => {
      socket = tls.connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        key: client.key,
        cert: client.chain,
        ca: client.serverTrust,
      });
      socket.setTimeout(5000, () => fail(new Error('timed out')));
      socket.once('error', fail);
      socket.once('secureConnect', () => socket!.write('ping'));
      socket.once('data', (data) => done(data.toString()));
    });
    return { ...seen, echoed, clientAuthorized: socket!.authorized };
  } finally {
    socket?.destroy();
    await new Promise((done) => server.close(done));
  }
}

describe('preparePki', () => {
  it('with keystores: pkcs12 builds material from the .p12 files that a real TLS pair uses, then removes them', async () => {
    const scenario = await scenarioFrom('p12', ['pki: {keystores: pkcs12, p12_password: s3cret}']);
    const prepared = await preparePki(scenario);
    const keystores = prepared.keystoreDir!;
    try {
      expect(await stat(join(keystores, 'truststore.p12'))).toBeTruthy();
      expect(prepared.pki.dir).toBeUndefined();
      expect(await mtlsEcho(prepared.pki)).toEqual({
        authorized: true,
        fingerprint: new X509Certificate(prepared.pki.identities.find((i) => i.name === 'valid')!.cert!)
          .fingerprint256,
        echoed: 'ping',
        clientAuthorized: true,
      });
    } finally {
      await prepared.dispose();
    }
    await expect(stat(keystores)).rejects.toMatchObject({ code: 'ENOENT' });
    await prepared.dispose(); // twice is harmless
  });

  it('reads the keystores of a PKI folder, and names the .p12 file when the password is wrong', async () => {
    const good = await scenarioFrom('dir-p12', ['pki: {dir: ./pki, keystores: pkcs12}']);
    expect(good.pki).toMatchObject({ source: 'dir', dir: join(dir, 'pki') });
    {
      await using prepared = await preparePki(good);
      expect(prepared.keystoreDir).toBe(join(dir, 'pki'));
      expect(prepared.pki.identities.map((i) => i.name)).toEqual(written.identities.map((i) => i.name));
      expect((await mtlsEcho(prepared.pki)).echoed).toBe('ping');
    }
    // The PKI folder is the user's: dispose leaves it alone.
    expect(await stat(join(dir, 'pki', 'server', 'server.p12'))).toBeTruthy();

    // Proof that the keystore, not the PEM beside it, is what servers get: swap server.p12.
    await cp(join(dir, 'pki'), join(dir, 'swapped'), { recursive: true });
    await copyFile(
      join(dir, 'swapped', 'clients', 'valid.p12'),
      join(dir, 'swapped', 'server', 'server.p12'),
    );
    const swapped = await scenarioFrom('swapped', ['pki: {dir: ./swapped, keystores: pkcs12}']);
    {
      await using prepared = await preparePki(swapped);
      const valid = written.identities.find((identity) => identity.name === 'valid')!;
      expect(prepared.pki.server.cert).toBe(valid.cert);
      expect(prepared.pki.server.key).toBe(valid.key);
    }

    const wrong = await scenarioFrom('dir-p12-wrong', [
      'pki: {dir: ./pki, keystores: pkcs12, p12_password: nope}',
    ]);
    const error = await preparePki(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${join(dir, 'pki', 'truststore.p12')}: wrong password for this PKCS#12 file (its integrity check failed)`,
    );
  });

  it("loads a PEM folder and checks the scenario's identity names against it, naming the line", async () => {
    const scenario = await scenarioFrom('dir-pem', ['pki:', '  dir: pki', 'identities: [valid, intern]']);
    await using prepared = await preparePki(scenario);
    expect(prepared.keystoreDir).toBeUndefined();
    expect(prepared.pki.server.key).toBe(written.server.key);
    expect(() => scenarioPlanInput(scenario, prepared.pki)).toThrow(
      `${join(dir, 'dir-pem.yaml')}:5:21: identities[1]: unknown identity "intern"; the PKI in ${join(dir, 'pki')} has: ${written.identities.map((i) => i.name).join(', ')}`,
    );
  });

  it('judges expectations of a PKI folder with every identity once the PKI is loaded', async () => {
    const scenario = await scenarioFrom('dir-expect', [
      'pki: {dir: pki}',
      'servers: [{name: a, mode: on}]',
      'expect:',
      '  - {identity: intern, verdict: accepted, reason: typo}',
    ]);
    await using prepared = await preparePki(scenario);
    const names = written.identities.map((i) => i.name).join(', ');
    expect(() => scenarioPlanInput(scenario, prepared.pki)).toThrow(
      `${join(dir, 'dir-expect.yaml')}:6:16: expect[0].identity: this expectation selects no planned cell: identity "intern" is not one this scenario runs (identities: ${names})`,
    );
  });
});
