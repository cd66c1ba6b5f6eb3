/**
 * The one module that configures @peculiar/x509. Node 20's native WebCrypto handles every key
 * type we issue (ECDSA P-256/P-384, RSA, Ed25519) and runs key generation on the libuv thread
 * pool, so keys generated with Promise.all really are made in parallel. Every other PKI file
 * imports `x509` and `subtle` from here so the provider is set before first use.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's webcrypto is the standard Crypto interface; its TypeScript declaration differs in detail only.
x509.cryptoProvider.set(webcrypto as never);

export const subtle = webcrypto.subtle;
export { x509 };
