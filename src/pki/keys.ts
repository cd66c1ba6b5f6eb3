/** Key generation and export for every supported key type. */
import type { webcrypto } from 'node:crypto';
import { Interrupted } from '../errors.js';
import { takeEarlyRsaKey } from './early-rsa.js';
import { type RsaKeyDer, RsaKeyProcess } from './rsa-key-process.js';
import type { KeyType } from './types.js';
import { subtle } from './x509.js';

const RSA_EXPONENT = new Uint8Array([1, 0, 1]);

/** The WebCrypto algorithm that generates (and, for RSA/Ed25519, signs with) a key type. */
export function keyAlgorithm(
  keyType: KeyType,
): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | webcrypto.Algorithm {
  switch (keyType) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' } as webcrypto.EcKeyGenParams;
    case 'ecdsa-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' } as webcrypto.EcKeyGenParams;
    case 'rsa-2048':
    case 'rsa-3072':
    case 'rsa-4096':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: Number(keyType.slice(4)),
        publicExponent: RSA_EXPONENT,
        hash: 'SHA-256',
      } as webcrypto.RsaHashedKeyGenParams;
    case 'ed25519':
      return { name: 'Ed25519' };
  }
}

/** The signature algorithm a key of this type signs certificates and CRLs with. */
export function signingAlgorithm(keyType: KeyType): webcrypto.Algorithm | webcrypto.EcdsaParams {
  switch (keyType) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams;
    case 'ecdsa-p384':
      return { name: 'ECDSA', hash: 'SHA-384' } as webcrypto.EcdsaParams;
    case 'ed25519':
      return { name: 'Ed25519' };
    default:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
}

export function isRsa(keyType: KeyType): boolean {
  return keyType.startsWith('rsa-');
}

export async function generateKeyPair(keyType: KeyType): Promise<webcrypto.CryptoKeyPair> {
  return (await subtle.generateKey(keyAlgorithm(keyType), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

/** Where one PKI's key pairs come from; close() abandons those still being made. */
export interface KeyMaker {
  newKeyPair(keyType: KeyType): Promise<webcrypto.CryptoKeyPair>;
  close(): void;
}

/**
 * Key pairs for one PKI. ECDSA and Ed25519 keys take about a millisecond and are made here;
 * RSA keys (seconds each for RSA 4096) are made in a child process that an abort of `signal`
 * kills, rejecting the keys still wanted with Interrupted. The early RSA 2048 key (see
 * early-rsa.ts) is used once.
 */
export function keyMaker(signal?: AbortSignal): KeyMaker {
  const rsa = RsaKeyProcess.available() ? new RsaKeyProcess() : undefined;
  const interrupted = () => new Interrupted('interrupted while generating the PKI');
  const onAbort = () => rsa?.stop(interrupted());
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    newKeyPair(keyType) {
      if (signal?.aborted) return Promise.reject(interrupted());
      const early = keyType === 'rsa-2048' ? takeEarlyRsaKey() : undefined;
      if (early) return early;
      if (rsa && isRsa(keyType))
        return rsa.generate(Number(keyType.slice(4))).then((der) => importRsaKeyPair(keyType, der));
      return generateKeyPair(keyType);
    },
    close() {
      signal?.removeEventListener('abort', onAbort);
      rsa?.stop(new Error('the PKI was finished before this key'));
    },
  };
}

async function importRsaKeyPair(keyType: KeyType, der: RsaKeyDer): Promise<webcrypto.CryptoKeyPair> {
  const algorithm = keyAlgorithm(keyType);
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('pkcs8', der.pkcs8, algorithm, true, ['sign']),
    subtle.importKey('spki', der.spki, algorithm, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** PEM with 64-character lines, as OpenSSL writes it. */
export function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const base64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
}
