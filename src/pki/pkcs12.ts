/**
 * PKCS#12 keystores with pkijs, in the shape OpenSSL 3 writes by default: the private key in a
 * PKCS8ShroudedKeyBag and the certificates in a password-encrypted SafeContents, both PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC), and an HMAC-SHA256 MAC over the whole. Node
 * (`pfx` + `passphrase`), OpenSSL and Java's keytool all read this.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { pemBlocks, splitPem } from './pem.js';

pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

const OID = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  // Java lists a certificate-only bag as a trustedCertEntry only when it carries this
  // Oracle attribute; its value is the extended key usage the trust is for (any).
  javaTrustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/** OpenSSL 3's default iteration count for both the encryption and the MAC. */
const ITERATIONS = 2048;

const toArrayBuffer = (data: Uint8Array): ArrayBuffer =>
  data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;

function passwordBytes(password: string): ArrayBuffer {
  return toArrayBuffer(new TextEncoder().encode(password));
}

function pbes2(password: string) {
  return {
    password: passwordBytes(password),
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: ITERATIONS,
  };
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function certBag(pem: string, attributes: pkijs.Attribute[]): pkijs.SafeBag {
  const der = splitPem(pem)[0]?.der ?? Buffer.alloc(0);
  return new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(toArrayBuffer(der)) }),
    bagAttributes: attributes,
  });
}

async function pfxOf(contents: { bags: pkijs.SafeBag[]; encrypted: boolean }[], password: string) {
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: contents.map((part) => ({
            privacyMode: part.encrypted ? 1 : 0,
            value: new pkijs.SafeContents({ safeBags: part.bags }),
          })),
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({
    safeContents: contents.map((part) => (part.encrypted ? pbes2(password) : {})),
  });
  await pfx.makeInternalValues({
    password: passwordBytes(password),
    iterations: ITERATIONS,
    pbkdf2HashAlgorithm: 'SHA-256',
    hmacHashAlgorithm: 'SHA-256',
  });
  return Buffer.from(pfx.toSchema().toBER(false));
}

/** A key entry: the private key and its certificate chain (leaf first), under `alias`. */
export async function buildKeystore(
  keyPem: string,
  chainPem: string,
  password: string,
  alias: string,
): Promise<Buffer> {
  const keyDer = splitPem(keyPem)[0]?.der ?? Buffer.alloc(0);
  const localKeyId = new asn1js.OctetString({ valueHex: toArrayBuffer(randomBytes(20)) });
  const named = [attribute(OID.friendlyName, new asn1js.BmpString({ value: alias }))];
  const keyBag = new pkijs.SafeBag({
    bagId: OID.shroudedKeyBag,
    bagValue: new pkijs.PKCS8ShroudedKeyBag({
      parsedValue: pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(keyDer)),
    }),
    bagAttributes: [...named, attribute(OID.localKeyId, localKeyId)],
  });
  await (keyBag.bagValue as pkijs.PKCS8ShroudedKeyBag).makeInternalValues(pbes2(password));
  const [leaf, ...rest] = pemBlocks(chainPem, 'CERTIFICATE');
  const certBags = [
    certBag(leaf ?? '', [...named, attribute(OID.localKeyId, localKeyId)]),
    ...rest.map((pem) => certBag(pem, [])),
  ];
  return pfxOf(
    [
      { bags: [keyBag], encrypted: false },
      { bags: certBags, encrypted: true },
    ],
    password,
  );
}

/** A truststore: trusted certificates only, each marked trusted for Java. */
export async function buildTruststore(certs: { pem: string; alias: string }[], password: string) {
  const bags = certs.map(({ pem, alias }) =>
    certBag(pem, [
      attribute(OID.friendlyName, new asn1js.BmpString({ value: alias })),
      attribute(OID.javaTrustedKeyUsage, new asn1js.ObjectIdentifier({ value: OID.anyExtendedKeyUsage })),
    ]),
  );
  return pfxOf([{ bags, encrypted: true }], password);
}

export { OID as PKCS12_OIDS, toArrayBuffer };
