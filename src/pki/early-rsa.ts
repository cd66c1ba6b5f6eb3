/**
 * Every PKI has an RSA 2048 key (the `rsa` identity), and finding its primes takes longer than
 * everything else in generatePki together (about 50 to 500 ms on a busy 2-core machine). This
 * module starts that key on the thread pool the moment it is loaded: generate.ts imports it
 * before the X.509 library, so the key is made while the rest of the program loads. The first
 * PKI of a process takes it; later ones generate their own. Deliberately depends on nothing
 * but node:crypto, so that it is evaluated early.
 */
import { webcrypto } from 'node:crypto';

let early: Promise<webcrypto.CryptoKeyPair> | undefined = webcrypto.subtle.generateKey(
  {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  true,
  ['sign', 'verify'],
) as Promise<webcrypto.CryptoKeyPair>;
// Never an unhandled rejection: whoever takes the key sees any failure.
early.catch(() => undefined);

export function takeEarlyRsaKey(): Promise<webcrypto.CryptoKeyPair> | undefined {
  const key = early;
  early = undefined;
  return key;
}
