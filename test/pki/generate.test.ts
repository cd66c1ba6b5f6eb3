/**
 * generatePki(): structure checked with Node's own X509 parser (independent of the library that
 * wrote the certificates), plus real TLS: every key pair loads, and the clients trust (or, for
 * wrong-server-trust, refuse) the server.
 */
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { generatePki } from '../../src/pki/generate.js';
import { crlList, pemBlocks } from '../../src/pki/pem.js';
import { findIdentity, type PkiMaterial, STANDARD_IDENTITIES } from '../../src/pki/types.js';
import { x509 } from '../../src/pki/x509.js';

let pki: PkiMaterial;
const now = new Date();
const DAY = 86_400_000;

beforeAll(async () => {
  pki = await generatePki({ now, hosts: ['example.test', '10.1.2.3'] });
});

const x509Of = (pem: string) => new X509Certificate(pem);
const identity = (name: string) => findIdentity(pki, name)!;

describe('generatePki', () => {
  it('makes every standard identity, in order, and only `none` has no certificate', () => {
    expect(pki.identities.map((i) => i.name)).toEqual([...STANDARD_IDENTITIES]);
    for (const id of pki.identities) {
      expect(Boolean(id.cert && id.key && id.chain && id.info)).toBe(id.name !== 'none');
      expect(id.traits.presents).toBe(id.name !== 'none');
    }
  });

  it('issues each leaf from the right CA, with CN, SPIFFE URI and EKU', () => {
    const cas = {
      root: pki.cas.root.cert,
      intermediate: pki.cas.intermediate.cert,
      unrelated: pki.cas.unrelated.cert,
    };
    for (const id of pki.identities.filter((i) => i.cert)) {
      const leaf = x509Of(id.cert!);
      expect(leaf.subject).toContain(`CN=${id.name}`);
      expect(leaf.subjectAltName).toBe(`URI:spiffe://mtls-lab.test/client/${id.name}`);
      expect(leaf.ca).toBe(false);
      expect(leaf.keyUsage).toEqual([id.name === 'wrong-eku' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2']);
      const issuer = id.traits.issuer === 'self' ? leaf : x509Of(cas[id.traits.issuer!]);
      // (checkIssued also wants keyCertSign on the issuer, which a self-signed leaf lacks.)
      if (issuer !== leaf) expect(leaf.checkIssued(issuer)).toBe(true);
      expect(leaf.issuer).toBe(issuer.subject);
      expect(leaf.verify(issuer.publicKey)).toBe(true);
      const serial = BigInt(`0x${leaf.serialNumber}`);
      expect(serial >= 2n ** 64n).toBe(true);
      expect(id.info?.sha256).toBe(leaf.fingerprint256);
    }
  });

  it('sends the intermediate only for `chain`', () => {
    expect(pemBlocks(identity('chain').chain!, 'CERTIFICATE')).toEqual([
      identity('chain').cert,
      pki.cas.intermediate.cert,
    ]);
    expect(identity('chain-no-intermediate').chain).toBe(identity('chain-no-intermediate').cert);
    expect(identity('chain-no-intermediate').traits.chainsToClientCa).toBe(false);
    expect(identity('chain').traits.chainsToClientCa).toBe(true);
  });

  it('sets validity windows from `now`', () => {
    const valid = x509Of(identity('valid').cert!);
    expect(new Date(valid.validFrom).getTime()).toBe(Math.floor((now.getTime() - 3_600_000) / 1000) * 1000);
    expect(new Date(valid.validTo).getTime() - new Date(valid.validFrom).getTime()).toBe(365 * DAY);
    expect(new Date(x509Of(identity('expired').cert!).validTo).getTime()).toBeLessThan(
      now.getTime() - DAY + 1000,
    );
    expect(new Date(x509Of(identity('not-yet-valid').cert!).validFrom).getTime()).toBeGreaterThan(
      now.getTime(),
    );
  });

  it('makes CAs with the right constraints and the key types asked for', () => {
    for (const [name, ca] of Object.entries(pki.cas)) {
      expect(x509Of(ca.cert).ca, name).toBe(true);
    }
    expect(identity('rsa').info?.keyType).toBe('RSA 2048');
    expect(identity('ed25519').info?.keyType).toBe('Ed25519');
    expect(identity('valid').info?.keyType).toBe('ECDSA P-256');
    expect(pki.clientCa).toBe(pki.cas.root.cert);
    expect(pki.serverCa).toBe(pki.cas.root.cert);
  });

  it('names localhost, loopback and every extra host in the server certificate', () => {
    const server = x509Of(pki.server.cert);
    for (const host of ['localhost', 'example.test']) expect(server.checkHost(host)).toBe(host);
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) expect(server.checkIP(ip)).toBe(ip);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it("lists the revoked identity in the root's CRL and gives the intermediate an empty one", () => {
    const [rootCrl, intermediateCrl] = crlList(pki).map((pem) => new x509.X509Crl(pem));
    expect(rootCrl?.issuer).toBe(x509Of(pki.cas.root.cert).subject.split('\n').join(', '));
    expect(rootCrl?.entries.map((entry) => entry.serialNumber)).toEqual([identity('revoked').info?.serial]);
    expect(intermediateCrl?.issuer).toContain('Intermediate');
    expect(intermediateCrl?.entries).toEqual([]);
    expect(identity('revoked').traits.revoked).toBe(true);
  });

  it('refuses a validity that is not a positive whole number of days', async () => {
    for (const days of [0, -1, 1.5]) await expect(generatePki({ days })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('with real TLS', () => {
  it('every key and certificate pair loads into a Node secure context', () => {
    for (const pair of [pki.server, ...pki.identities.filter((i) => i.key)]) {
      expect(() => tls.createSecureContext({ key: pair.key, cert: pair.chain })).not.toThrow();
    }
  });

  it('each client trusts the server through its serverTrust, except wrong-server-trust', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.chain }, (s) => s.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const results = await Promise.all(
        pki.identities.map(async (id) => {
          const client = tls.connect({
            host: '127.0.0.1',
            port,
            servername: 'localhost',
            ca: id.serverTrust,
          });
          try {
            const outcome = await new Promise<string | undefined>((resolve) => {
              client.once('secureConnect', () => resolve('ok'));
              client.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
            });
            return [id.name, outcome] as const;
          } finally {
            client.destroy();
          }
        }),
      );
      for (const [name, outcome] of results) {
        expect(outcome, name).toBe(name === 'wrong-server-trust' ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'ok');
        expect(findIdentity(pki, name)!.traits.trustsServer).toBe(name !== 'wrong-server-trust');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(server.listening).toBe(false);
  });
});

it.concurrent.each(['ecdsa-p384', 'ed25519'] as const)(
  'generates a %s PKI whose server key loads',
  async (keyType) => {
    const other = await generatePki({ keyType });
    expect(other.server.info.keyType).toBe(keyType === 'ed25519' ? 'Ed25519' : 'ECDSA P-384');
    expect(() => tls.createSecureContext({ key: other.server.key, cert: other.server.cert })).not.toThrow();
  },
);
